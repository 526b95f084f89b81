package org.selfhostedgateway.security;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.ui.PageClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing is slowed down per address, for bearer tokens and sign-ins alike. This context has its own limiter (3
 * failures), believes no proxy on this host, and also has an admin password. The password test runs first, before
 * this address is locked out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.security.max-failures=3", "gateway.security.failure-window=10m",
        "gateway.security.trusted-proxies=10\\.255\\.255\\.254",
        "gateway.security.admin-password=correct horse battery staple" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitTests {

    @LocalServerPort
    int port;

    @Test
    @Order(1)
    void theAdminCanSignInWithTheConfiguredPassword() {
        HttpResponse<String> signedIn = new PageClient(port).signIn("correct horse battery staple");
        assertThat(signedIn.statusCode()).isEqualTo(302);

        Reply audit = new TestApi(port).get("/audit?limit=1");
        assertThat(audit.json().get(0).get("action").asString()).isEqualTo("SIGNED_IN");
        assertThat(audit.json().get(0).get("actor").asString()).isEqualTo("admin (signed in)");
        assertThat(audit.json().get(0).get("subject").asString()).isEqualTo("with the password");
    }

    @Test
    @Order(2)
    void afterTooManyBadTokensAnAddressGets429WithRetryAfterEvenForTheRightToken() {
        TestApi guesser = new TestApi(port, "guess-guess-guess-guess");
        for (int i = 0; i < 3; i++) {
            assertThat(guesser.get("/links").status()).isEqualTo(401);
        }

        Reply refused = guesser.get("/links");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.json().get("status").asInt()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 600L);

        assertThat(new TestApi(port).get("/links").status()).as("no more guesses, not even a right one")
                .isEqualTo(429);
        TestApi forged = new TestApi(port);
        assertThat(forged.send(forged.request("/links").header("X-Forwarded-For", "198.51.100.99").GET()).status())
                .as("X-Forwarded-For from an untrusted client is ignored").isEqualTo(429);

        HttpResponse<String> signIn = new PageClient(port).signIn(TestApi.TEST_TOKEN);
        assertThat(signIn.statusCode()).as("the sign-in form is slowed down too").isEqualTo(429);
        assertThat(signIn.headers().firstValue("Retry-After")).isPresent();
        assertThat(signIn.body()).contains("Too many failed sign-ins from your address");

        assertThat(new TestApi(port, null).get("/actuator/health").status()).isEqualTo(200);
    }
}
