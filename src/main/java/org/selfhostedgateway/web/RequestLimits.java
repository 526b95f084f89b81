package org.selfhostedgateway.web;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What a request may carry.
 *
 * @param maxBodySize the largest request body accepted ({@code GATEWAY_MAX_BODY_SIZE}); larger ones get 413. A
 * link or a token takes a few hundred bytes
 */
@Validated
@ConfigurationProperties("gateway.requests")
public record RequestLimits(@NotNull DataSize maxBodySize) {
}
