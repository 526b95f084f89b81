package org.selfhostedgateway.link;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Whether a link's tunnel is really up, from the last health sweep (never measured per request). Counters belong
 * to the running gateway-link container and restart at zero when it is recreated.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "LinkHealth", description = "The tunnel as the last health sweep found it")
public record LinkHealthView(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) LinkHealthStatus status,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Docker's state of the gateway-link "
                + "container (running, exited, restarting, ...) or missing", example = "running") String container,
        @Schema(description = "Last WireGuard handshake with the client; absent if none was ever seen")
        Instant lastHandshakeAt,
        @Schema(description = "Seconds between the last handshake and checkedAt") Long handshakeAgeSeconds,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Bytes received from the client")
        long rxBytes,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Bytes sent to the client") long txBytes,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant checkedAt) {
}
