package org.selfhostedgateway.security;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * By default no proxy is trusted, not even loopback: behind the SSH tunnel every caller comes from there, so a header
 * from loopback proves nothing. Rotating X-Forwarded-For then neither moves the audited address nor dodges the limit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gateway.security.max-failures=3")
class UntrustedForwardedForTests {

    @LocalServerPort
    int port;

    @Test
    void byDefaultAForwardedAddressFromLoopbackIsIgnored() {
        TestApi api = new TestApi(port);
        Reply created = api.send(api.request("/links").header("Content-Type", "application/json")
                .header("X-Forwarded-For", "198.51.100.7")
                .POST(HttpRequest.BodyPublishers.ofString(TestApi.json("fqdn", "untrusted.example.com",
                        "expose", "web:80"))));
        assertThat(created.status()).isEqualTo(201);

        Reply audit = api.get("/audit?limit=1");
        assertThat(audit.json().get(0).get("address").asString()).isEqualTo("127.0.0.1");
    }

    @Test
    void rotatingTheHeaderDoesNotDodgeTheFailureLimit() {
        TestApi guesser = new TestApi(port, "rotating-guess-rotating-guess");
        int[] statuses = new int[5];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = guesser.send(guesser.request("/links").header("X-Forwarded-For", "198.51.100." + i)
                    .GET()).status();
        }
        assertThat(statuses).containsExactly(401, 401, 401, 429, 429);
    }
}
