package org.selfhostedgateway.provisioning;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How often the data plane is compared with the database and repaired.
 *
 * @param interval time between two full reconciliations ({@code GATEWAY_RECONCILE_INTERVAL}, default 30s)
 */
@Validated
@ConfigurationProperties("gateway.reconcile")
public record ReconcileProperties(@NotNull Duration interval) {
}
