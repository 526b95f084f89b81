package org.selfhostedgateway.health;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.selfhostedgateway.GatewayApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A wrong health setting stops the gateway at start and names the setting. */
class HealthSettingsTests {

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gateway.health.interval=0s      | interval",
            "gateway.health.interval=2h      | interval",
            "gateway.health.stale-after=0s   | staleAfter",
            "gateway.health.parallelism=0    | parallelism",
            "gateway.health.parallelism=65   | parallelism" })
    void aWrongHealthSettingStopsStartupNamingIt(String setting, String property) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GatewayApplication.class)
                .run("--server.port=0", "--gateway.data.dir=" + dataDir, "--" + setting.trim()).close());

        assertThat(failure).isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
            if (t instanceof org.springframework.boot.context.properties.bind.validation.BindValidationException e) {
                e.getValidationErrors().forEach(error -> messages.append(error).append('\n'));
            }
        }
        assertThat(messages.toString()).contains("gateway.health").contains(property.trim());
    }
}
