package org.selfhostedgateway.link;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What the compose snippet tells a home server.
 *
 * @param publicHost the gateway's public DNS name or IP that clients dial ({@code GATEWAY_PUBLIC_HOST}, required)
 * @param clientImage the client-link image named in the snippet ({@code GATEWAY_CLIENT_IMAGE})
 */
@Validated
@ConfigurationProperties("gateway.link")
public record LinkProperties(
        @NotBlank(message = "is required: set GATEWAY_PUBLIC_HOST to the public DNS name or IP of this VPS")
        @Pattern(regexp = "^$|" + LinkPatterns.HOST, message = "must be a DNS name, an IPv4 or an IPv6 address")
        String publicHost,
        @NotBlank @Pattern(regexp = LinkPatterns.IMAGE, message = "must be a Docker image reference")
        String clientImage) {

    /** host:port as a WireGuard endpoint, with brackets around an IPv6 address. */
    String endpoint(int port) {
        String host = publicHost.contains(":") && !publicHost.startsWith("[") ? "[" + publicHost + "]" : publicHost;
        return host + ":" + port;
    }
}
