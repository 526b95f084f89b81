package org.selfhostedgateway.storage;

import org.flywaydb.core.api.configuration.FluentConfiguration;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Runs the schema migrations on a database connection of their own that stays open until the gateway stops. H2
 * (2.4.240) ties a {@code CHECK (x IN (...))} that a migration creates to the session that created it: were that a
 * pooled connection, the pool retiring it (within 30 minutes) would make every later insert and update fail with
 * "Check constraint invalid", until a restart read the constraints from disk again.
 */
@Component
class MigrationConnection implements FlywayConfigurationCustomizer, DisposableBean {

    private final SingleConnectionDataSource connection;

    MigrationConnection(DataSourceProperties database) {
        // Opened on Flyway's first use; its close() calls are ignored, so it outlives the migration.
        this.connection = new SingleConnectionDataSource(database.determineUrl(), database.determineUsername(),
                database.determinePassword(), true);
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.dataSource(connection);
    }

    @Override
    public void destroy() {
        connection.destroy();
    }
}
