package org.selfhostedgateway.web;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.yaml at the top of the repository is the contract that clients are generated from: it must say exactly
 * what the application serves. After an intended API change, refresh it with
 * {@code ./mvnw test -Dtest=OpenApiContractTests -Dopenapi.update=true} and review the diff.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractTests {

    private static final Path CONTRACT = Path.of("openapi.yaml");

    @LocalServerPort
    int port;

    @Test
    void openapiYamlEqualsTheServedDescription() throws Exception {
        Reply served = new TestApi(port).get("/v3/api-docs.yaml");
        assertThat(served.status()).isEqualTo(200);

        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(CONTRACT, served.body());
        }

        Object expected = new Yaml().load(Files.readString(CONTRACT));
        Object actual = new Yaml().load(served.body());
        assertThat(actual).as("openapi.yaml differs from /v3/api-docs.yaml; see this test's comment")
                .isEqualTo(expected);
    }

    @Test
    void swaggerUiIsServed() {
        Reply ui = new TestApi(port).get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger");
    }
}
