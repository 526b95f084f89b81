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
    void afterTooManyBadTokensAnAddressGets429ForFailuresButTheRightTokenStillWorks() {
        TestApi guesser = new TestApi(port, "guess-guess-guess-guess");
        for (int i = 0; i < 3; i++) {
            assertThat(guesser.get("/links").status()).isEqualTo(401);
        }

        Reply refused = guesser.get("/links");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.json().get("status").asInt()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 600L);

        TestApi forged = new TestApi(port, "guess-guess-guess-guess");
        assertThat(forged.send(forged.request("/links").header("X-Forwarded-For", "198.51.100.99").GET()).status())
                .as("X-Forwarded-For from an untrusted client is ignored").isEqualTo(429);

        assertThat(new TestApi(port).get("/links").status())
                .as("a valid token is never refused: nobody can lock the admin out by failing from its address")
                .isEqualTo(200);

        HttpResponse<String> password = new PageClient(port).signIn("a wrong password guess");
        assertThat(password.statusCode()).as("password sign-in is slowed down").isEqualTo(429);
        assertThat(password.headers().firstValue("Retry-After")).isPresent();
        assertThat(password.body()).contains("Too many failed sign-ins from your address");
        assertThat(new PageClient(port).signIn("correct horse battery staple").statusCode())
                .as("not even the right password is checked while the address is blocked").isEqualTo(429);

        assertThat(new PageClient(port).signIn(TestApi.TEST_TOKEN).statusCode())
                .as("the admin token signs in all the same").isEqualTo(302);

        assertThat(new TestApi(port, null).get("/actuator/health").status()).isEqualTo(200);
    }
}
