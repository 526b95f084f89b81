package org.selfhostedgateway.health;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How link health is measured.
 *
 * @param interval time between two sweeps ({@code GATEWAY_HEALTH_INTERVAL}, default 60s, 1s-1h)
 * @param staleAfter a handshake older than this is not a live tunnel ({@code GATEWAY_HEALTH_STALE_AFTER}, default
 * 180s: WireGuard's reject-after time; an active session is rekeyed every 120 s and the client's keepalive every
 * 25 s keeps it active)
 * @param parallelism WireGuard probes at once during a sweep; each is an exec only with kernel WireGuard
 * ({@code GATEWAY_HEALTH_PARALLELISM}, default 8, 1-64)
 */
@Validated
@ConfigurationProperties("gateway.health")
public record HealthProperties(
        @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 1) Duration interval,
        @NotNull @DurationMin(seconds = 1) Duration staleAfter,
        @Min(1) @Max(64) int parallelism) {
}
