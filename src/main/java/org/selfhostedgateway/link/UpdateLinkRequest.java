package org.selfhostedgateway.link;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PATCH /links/{id}}: what may change on a link without making a new one. Every field is optional;
 * an absent one stays as it is, but at least one must be given.
 */
@Schema(description = "A change to a link: give only what changes (at least one field). The id, the UDP port, the "
        + "keys and the main fqdn stay")
public record UpdateLinkRequest(
        @Schema(description = "How the gateway delivers the visitor's address: PROXY_PROTOCOL or NONE")
        VisitorAddress visitorAddress,

        @Schema(description = "New host:port of the service on the home server, checked as at create",
                example = "nginx:8080")
        @Pattern(regexp = LinkPatterns.EXPOSE,
                message = "must be host:port, such as nginx:80: a compose service name, host name or IP, "
                        + "and a port from 1 to 65535")
        @ExposeAddress
        String expose,

        @ArraySchema(arraySchema = @Schema(description = "The link's extra host names: replaces the whole list "
                + "([] removes them all); checked as at create"), schema = @Schema(example = "www.example.com"))
        @Size(max = LinkNames.MAX_ALIASES, message = "may hold at most " + LinkNames.MAX_ALIASES + " names")
        List<@NotNull(message = "must be a host name") @Size(min = 1, max = 253,
                message = "must be 1 to 253 characters") @Pattern(regexp = LinkPatterns.FQDN,
                message = LinkNames.FQDN_MESSAGE) String> aliases) {

    /** Whether the body names anything to change. */
    boolean changesNothing() {
        return visitorAddress == null && expose == null && aliases == null;
    }
}
