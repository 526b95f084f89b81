package org.selfhostedgateway.storage;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway keeps its state: the H2 database, the API token and the key-encryption key.
 *
 * @param dir the data directory ({@code GATEWAY_DATA_DIR}, default {@code ./data})
 */
@Validated
@ConfigurationProperties("gateway.data")
public record DataProperties(@NotNull Path dir) {
}
