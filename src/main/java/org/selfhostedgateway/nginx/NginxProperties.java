package org.selfhostedgateway.nginx;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the NGINX map lives and how changes are batched.
 *
 * @param linksDir the directory NGINX includes {@code links.map} from, shared with the NGINX container
 * ({@code GATEWAY_NGINX_LINKS_DIR})
 * @param coalesce how long to gather changes into one reload ({@code GATEWAY_NGINX_COALESCE}, default 50ms)
 */
@Validated
@ConfigurationProperties("gateway.nginx")
public record NginxProperties(@NotNull Path linksDir, @NotNull Duration coalesce) {
}
