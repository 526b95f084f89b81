package org.selfhostedgateway.security;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Signing in to the page, and how failed attempts are slowed down.
 *
 * @param adminPassword a password for the page besides the admin token ({@code GATEWAY_ADMIN_PASSWORD}); empty for
 * none. Either at least 12 characters, hashed at start and kept only as that hash, or a hash already, such as
 * {@code {bcrypt}$2a$10$...}
 * @param maxFailures failed sign-ins or bad bearer tokens from one address before it is refused for the rest of
 * the window ({@code GATEWAY_MAX_FAILED_ATTEMPTS})
 * @param failureWindow the window in which failures count ({@code GATEWAY_FAILED_ATTEMPTS_WINDOW})
 * @param trustedProxies a regular expression of proxy addresses whose X-Forwarded-For and X-Forwarded-Proto are
 * believed ({@code GATEWAY_TRUSTED_PROXIES}); empty (the default) believes no one, not even loopback
 */
@Validated
@ConfigurationProperties("gateway.security")
public record GatewaySecurityProperties(
        // Checked by AdminSignIn rather than by a constraint, whose message would repeat the rejected password.
        String adminPassword,
        @NotNull @Min(value = 1, message = "must be at least 1") @Max(value = 100000, message = "must be at most 100000")
        Integer maxFailures,
        @NotNull Duration failureWindow,
        String trustedProxies) {

    /** Keeps the password out of logs and failure messages. */
    @Override
    public String toString() {
        return "GatewaySecurityProperties[adminPassword=" + (adminPassword == null || adminPassword.isEmpty()
                ? "none" : "(set)") + ", maxFailures=" + maxFailures + ", failureWindow=" + failureWindow
                + ", trustedProxies=" + trustedProxies + "]";
    }
}
