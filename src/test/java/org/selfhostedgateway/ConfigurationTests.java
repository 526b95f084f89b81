package org.selfhostedgateway;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A missing or wrong setting stops the gateway at start, with a message that names the setting. */
class ConfigurationTests {

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gateway.link.public-host=        | gateway.link.public-host | GATEWAY_PUBLIC_HOST",
            "gateway.link.public-host=a b     | gateway.link.public-host | DNS name",
            "gateway.ports.first=0            | gateway.ports.first      | 1",
            "gateway.ports.last=70000         | gateway.ports.last       | 65535",
            "gateway.ports.first=60000        | gateway.ports            | range is empty",
            "gateway.api.token=short          | gateway.api.token        | 16 to 512",
            "gateway.keys.encryption-key=abc  | gateway.keys.encryption-key | base64 of 32" })
    void aWrongSettingStopsStartupNamingIt(String setting, String property, String hint) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GatewayApplication.class)
                .run("--server.port=0", "--gateway.data.dir=" + dataDir, "--" + setting.trim()).close());

        assertThat(failure).isNotNull();
        assertThat(messages(failure)).contains(property.trim()).contains(hint.trim());
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
            if (t instanceof org.springframework.boot.context.properties.bind.validation.BindValidationException bind) {
                bind.getValidationErrors().forEach(error -> all.append(error).append('\n'));
            }
        }
        return all.toString();
    }
}
