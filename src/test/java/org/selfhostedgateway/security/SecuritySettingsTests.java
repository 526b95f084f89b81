package org.selfhostedgateway.security;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.selfhostedgateway.GatewayApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A wrong sign-in or proxy setting stops the gateway at start, naming the setting, and never echoes a password. */
class SecuritySettingsTests {

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gateway.security.admin-password=tooshort11  | GATEWAY_ADMIN_PASSWORD          | at least 12",
            "gateway.security.max-failures=0             | gateway.security.max-failures   | at least 1",
            "gateway.security.trusted-proxies=10.0.0.(   | GATEWAY_TRUSTED_PROXIES         | regular expression" })
    void aWrongSettingStopsStartupNamingIt(String setting, String property, String hint) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GatewayApplication.class)
                .run("--server.port=0", "--gateway.data.dir=" + dataDir,
                        "--" + setting.trim()).close());

        assertThat(failure).isNotNull();
        String messages = messages(failure);
        assertThat(messages).contains(property.trim()).contains(hint.trim());
        assertThat(messages).doesNotContain("tooshort11");
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
