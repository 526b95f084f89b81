package org.selfhostedgateway.keys;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How private keys are encrypted at rest.
 *
 * @param encryptionKey base64 of a 32-byte AES key ({@code GATEWAY_ENCRYPTION_KEY}); when empty, a key file is
 * created in the data directory at first start
 */
@Validated
@ConfigurationProperties("gateway.keys")
public record KeysProperties(
        @Pattern(regexp = "^$|^[A-Za-z0-9+/]{43}=$",
                message = "must be base64 of 32 random bytes, for example the output of 'openssl rand -base64 32'")
        String encryptionKey) {
}
