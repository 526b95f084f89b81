package org.selfhostedgateway.security;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the API.
 *
 * @param token the admin bearer token ({@code GATEWAY_API_TOKEN}); when empty, one is generated at first start and
 * kept in the data directory
 */
@Validated
@ConfigurationProperties("gateway.api")
public record ApiProperties(
        @Pattern(regexp = "^$|^[\\x21-\\x7e]{16,512}$",
                message = "must be 16 to 512 printable ASCII characters without spaces, "
                        + "for example the output of 'openssl rand -hex 32'")
        String token) {
}
