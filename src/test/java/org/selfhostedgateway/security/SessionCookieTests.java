package org.selfhostedgateway.security;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.ui.PageClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's session cookie is hard to steal or ride; the API never hands out a cookie at all. This context trusts a
 * TLS proxy on this host, as GATEWAY_TRUSTED_PROXIES would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gateway.security.trusted-proxies=127\\.0\\.0\\.1|0:0:0:0:0:0:0:1")
class SessionCookieTests {

    @LocalServerPort
    int port;

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteAndNotSecureOverPlainHttp() {
        HttpResponse<String> login = new PageClient(port).get("/login");

        String cookie = sessionCookie(login);
        assertThat(cookie).startsWith(SignIn.SESSION_COOKIE + "=").contains("HttpOnly").contains("SameSite=Lax")
                .doesNotContain("Secure");
    }

    @Test
    void behindATlsProxyOnThisHostTheSessionCookieIsSecure() {
        PageClient page = new PageClient(port);
        HttpResponse<String> login = page.send(HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/login")).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-For", "198.51.100.7").GET());

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(sessionCookie(login)).contains("Secure").contains("HttpOnly").contains("SameSite=Lax");
        assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
    }

    @Test
    void signingInStartsANewSessionAndSigningOutEndsIt() {
        PageClient page = new PageClient(port);
        String before = sessionId(page.get("/login"));

        HttpResponse<String> signedIn = page.signIn(TestApi.TEST_TOKEN);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(sessionId(signedIn)).as("a new session id at sign-in").isNotEqualTo(before);
        assertThat(page.get("/").statusCode()).isEqualTo(200);

        HttpResponse<String> signedOut = page.submit("/logout", Map.of());
        assertThat(signedOut.statusCode()).isEqualTo(302);
        assertThat(signedOut.headers().firstValue("Location").orElseThrow()).endsWith("/login?signed-out");
        HttpResponse<String> after = page.get("/");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    }

    @Test
    void thePageIgnoresBearerTokensAndSignOutNeedsTheCsrfToken() {
        TestApi api = new TestApi(port);
        assertThat(api.get("/").status()).as("the page wants a session, not a bearer token").isEqualTo(302);
        assertThat(api.get("/ui/tokens").status()).isEqualTo(302);

        PageClient page = new PageClient(port).signedInAsAdmin();
        assertThat(page.postWithoutCsrf("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(page.get("/").statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    void apiAnswersNeverSetACookie() {
        TestApi api = new TestApi(port);
        Reply created = api.createLink("cookie.example.com", "app:80");
        String id = created.json().get("id").asString();
        List<Reply> replies = List.of(created, api.get("/links"), api.get("/links/" + id),
                api.get("/links/" + id + "/compose"), api.get("/tokens"), api.get("/audit"),
                api.get("/v3/api-docs"), api.get("/no-such-endpoint"), api.delete("/links/" + id),
                new TestApi(port, null).get("/links"), new TestApi(port, "wrong-token-for-cookies").get("/links"),
                new TestApi(port, null).get("/actuator/health"),
                api.send(api.request("/links").header("Cookie", "GATEWAY_SESSION=stolen").GET()));

        for (Reply reply : replies) {
            assertThat(reply.response().headers().allValues("Set-Cookie")).as(reply.toString()).isEmpty();
        }
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(SignIn.SESSION_COOKIE + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("No session cookie in " + response.headers()));
    }

    private static String sessionId(HttpResponse<String> response) {
        return sessionCookie(response).split(";")[0];
    }
}
