package org.selfhostedgateway.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 16: a program that manages its own links (the home agent) must know which links are its own: those whose
 * {@code createdBy} is the owner named here. Without it, it could only guess, and guessing wrong deletes someone
 * else's link.
 */
@RestController
@Tag(name = "whoami", description = "Who the caller is, as the gateway records it")
class WhoAmIController {

    @Operation(operationId = "whoAmI", summary = "The caller: the owner its links get (their createdBy)")
    @ApiResponse(responseCode = "200", description = "The caller")
    @ApiResponse(responseCode = "401", description = "No valid bearer token")
    @GetMapping(path = "/whoami", produces = MediaType.APPLICATION_JSON_VALUE)
    Caller whoAmI() {
        // Every request here is authenticated (the API chain), by the admin token or a named token.
        return new Caller(Actors.owner().orElseThrow(
                () -> new AuthenticationRequiredException("Send a bearer token.")), Actors.isAdmin());
    }

    @Schema(name = "Caller")
    record Caller(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "token home-agent", description = "What "
                    + "the links this caller creates show as createdBy: 'admin' or 'token <name>'") String owner,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The admin token (or the signed-in "
                    + "admin): may read every link's private key and manage tokens") boolean admin) {
    }
}
