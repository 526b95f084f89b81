package org.selfhostedgateway.security;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Probes get the status without a token; the components (Docker, NGINX, database) are for token holders. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HealthDetailsTests {

    @LocalServerPort
    int port;

    @Test
    void withoutATokenHealthShowsOnlyItsStatus() {
        Reply health = new TestApi(port, null).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().has("components")).isFalse();
    }

    @Test
    void withTheTokenHealthShowsItsComponents() {
        Reply health = new TestApi(port).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("components").has("db")).isTrue();
    }
}
