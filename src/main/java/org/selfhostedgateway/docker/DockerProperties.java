package org.selfhostedgateway.docker;

import java.nio.file.Path;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway runs link containers.
 *
 * @param enabled run the data plane at all ({@code GATEWAY_DOCKER_ENABLED}); off only for API-only tests
 * @param host the Docker engine ({@code DOCKER_HOST}, default the local socket)
 * @param network the Docker network shared by NGINX and the link containers ({@code GATEWAY_DOCKER_NETWORK})
 * @param linkImage the gateway-link image ({@code GATEWAY_LINK_IMAGE})
 * @param gatewayId names this gateway in container labels, so that two gateways on one engine never touch each
 * other's containers ({@code GATEWAY_ID})
 * @param linkStateDir a directory per link, bind-mounted into its container, where its WireGuard's control socket
 * lives: the gateway reads the link's health there, without starting a process ({@code GATEWAY_LINK_STATE_DIR}).
 * The engine mounts it by this path, so a control plane in a container must see it at the same path as the host
 */
@Validated
@ConfigurationProperties("gateway.docker")
public record DockerProperties(
        boolean enabled,
        @NotBlank String host,
        @NotBlank @Pattern(regexp = "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$", message = "must be a Docker network name")
        String network,
        @NotBlank @Pattern(regexp = "^[a-z0-9][a-z0-9._/:@-]{0,254}$", message = "must be a Docker image reference")
        String linkImage,
        @NotBlank @Pattern(regexp = "^[a-z0-9][a-z0-9-]{0,30}$", message = "must be 1-31 lower-case letters, digits "
                + "or hyphens")
        String gatewayId,
        @NotNull Path linkStateDir) {
}
