package org.selfhostedgateway.tokens;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/tokens")
@Tag(name = "tokens", description = "Named API tokens, one per script or person, each revocable (admin only)")
class TokenController {

    private final NamedTokens tokens;

    TokenController(NamedTokens tokens) {
        this.tokens = tokens;
    }

    @Operation(operationId = "createToken", summary = "Create a named API token; its value is shown only here")
    @ApiResponse(responseCode = "201", description = "Created; the body holds the token")
    @ApiResponse(responseCode = "400", description = "Invalid name")
    @ApiResponse(responseCode = "403", description = "Only the admin may manage tokens")
    @ApiResponse(responseCode = "409", description = "Another token has this name")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TokenResponse> create(@Valid @RequestBody CreateTokenRequest request) {
        // No Location: a token cannot be read back, only listed or revoked.
        return ResponseEntity.status(HttpStatus.CREATED).body(tokens.create(request));
    }

    @Operation(operationId = "listTokens", summary = "Named API tokens, without their values")
    @ApiResponse(responseCode = "200", description = "The tokens")
    @ApiResponse(responseCode = "403", description = "Only the admin may manage tokens")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    List<TokenResponse> list() {
        return tokens.list();
    }

    @Operation(operationId = "revokeToken", summary = "Revoke a named API token: it is refused from now on")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "403", description = "Only the admin may manage tokens")
    @ApiResponse(responseCode = "404", description = "No such token")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable String id) {
        tokens.revoke(id);
        return ResponseEntity.noContent().build();
    }
}
