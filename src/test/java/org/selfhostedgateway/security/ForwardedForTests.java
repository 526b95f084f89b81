package org.selfhostedgateway.security;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.ui.PageClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a trusted proxy (here: loopback, configured), X-Forwarded-For names the client, but only a valid IP address
 * counts, and only the right-most one that is not itself a trusted proxy. Anything else leaves the peer's address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gateway.security.trusted-proxies=127\\.0\\.0\\.1|0:0:0:0:0:0:0:1")
class ForwardedForTests {

    @LocalServerPort
    int port;

    @Test
    void aValidAddressFromTheTrustedProxyIsTheAuditedClient() {
        assertThat(createdFrom("198.51.100.7", "xff-valid.example.com")).isEqualTo("198.51.100.7");
        assertThat(createdFrom("2001:db8::7", "xff-valid6.example.com")).isEqualTo("2001:db8::7");
    }

    @Test
    void onlyTheRightMostAddressThatIsNotATrustedProxyCounts() {
        assertThat(createdFrom("203.0.113.66, 198.51.100.8", "xff-chain.example.com"))
                .as("what the client wrote on the left is not believed").isEqualTo("198.51.100.8");
        assertThat(createdFrom("198.51.100.9, 127.0.0.1", "xff-proxies.example.com"))
                .as("a trusted proxy in the chain is skipped").isEqualTo("198.51.100.9");
    }

    @Test
    void anythingThatIsNotAnIpAddressIsIgnoredNeverA500NorStored() {
        String longValue = "1".repeat(100);
        assertThat(createdFrom(longValue, "xff-long.example.com")).isEqualTo("127.0.0.1");
        assertThat(createdFrom("<script>alert(1)</script>", "xff-markup.example.com")).isEqualTo("127.0.0.1");
        assertThat(createdFrom("999.999.999.999", "xff-bad4.example.com")).isEqualTo("127.0.0.1");
        assertThat(createdFrom("::::::", "xff-bad6.example.com")).isEqualTo("127.0.0.1");
        assertThat(createdFrom("198.51.100.10, junk", "xff-junk.example.com")).isEqualTo("127.0.0.1");
    }

    @Test
    void aSignInWithAForgedHeaderSignsInAndIsAudited() {
        PageClient page = new PageClient(port);
        page.get("/login");
        HttpResponse<String> signedIn = page.submitWithHeader("/login", Map.of("secret", TestApi.TEST_TOKEN),
                "X-Forwarded-For", "x".repeat(200));

        assertThat(signedIn.statusCode()).isEqualTo(302);
        Reply audit = new TestApi(port).get("/audit?limit=1");
        assertThat(audit.json().get(0).get("action").asString()).isEqualTo("SIGNED_IN");
        assertThat(audit.json().get(0).get("address").asString()).isEqualTo("127.0.0.1");
    }

    /** Creates a link with this X-Forwarded-For and answers the address its audit entry shows. */
    private String createdFrom(String forwardedFor, String fqdn) {
        TestApi api = new TestApi(port);
        Reply created = api.send(api.request("/links").header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TestApi.json("fqdn", fqdn, "expose",
                        "web:80"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Reply audit = api.get("/audit?limit=20");
        for (var entry : audit.json()) {
            if (entry.get("subject").asString().equals(fqdn)) {
                return entry.get("address").asString();
            }
        }
        throw new AssertionError("no audit entry for " + fqdn + ": " + audit);
    }
}
