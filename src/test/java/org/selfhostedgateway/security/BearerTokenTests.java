package org.selfhostedgateway.security;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BearerTokenTests {

    @LocalServerPort
    int port;

    static Stream<String> protectedPaths() {
        return Stream.of("/links", "/links/some-id", "/links/some-id/compose", "/v3/api-docs", "/actuator/info",
                "/no-such-page");
    }

    @ParameterizedTest
    @MethodSource("protectedPaths")
    void withoutATokenEveryEndpointAnswers401Problem(String path) {
        assertUnauthorized(new TestApi(port, null).get(path));
    }

    @ParameterizedTest
    @MethodSource("protectedPaths")
    void aWrongTokenAnswers401(String path) {
        assertUnauthorized(new TestApi(port, "test-admin-token-0123456780").get(path));
        assertUnauthorized(new TestApi(port, "test-admin-token-0123456789x").get(path));
        assertUnauthorized(new TestApi(port, "").get(path));
    }

    @Test
    void aWrongTokenCannotCreateOrDelete() {
        TestApi stranger = new TestApi(port, "not-the-token-at-all-000");
        assertUnauthorized(stranger.createLink("evil.example.com", "app:80"));
        assertUnauthorized(stranger.delete("/links/anything"));
        assertThat(new TestApi(port).get("/links?fqdn=evil.example.com").json()).isEmpty();
    }

    @Test
    void otherAuthorizationSchemesAreRefused() {
        TestApi api = new TestApi(port, null);
        assertUnauthorized(api.send(api.request("/links").header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))));
        assertUnauthorized(api.send(api.request("/links").header("Authorization", TestApi.TEST_TOKEN)));
    }

    @Test
    void theRightTokenIsAccepted() {
        assertThat(new TestApi(port).get("/links").status()).isEqualTo(200);
    }

    @Test
    void healthNeedsNoToken() {
        Reply health = new TestApi(port, null).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }

    private static void assertUnauthorized(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(reply.json().get("status").asInt()).isEqualTo(401);
    }
}
