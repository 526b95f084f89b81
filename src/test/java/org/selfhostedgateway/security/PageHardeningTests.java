package org.selfhostedgateway.security;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.ui.PageClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The page's smaller defences: where CSRF tokens are read, what redirects say, how Swagger UI is reached. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PageHardeningTests {

    @LocalServerPort
    int port;

    @Test
    void aCsrfTokenInTheQueryStringIsNotAccepted() {
        PageClient page = new PageClient(port).signedInAsAdmin();
        String token = PageClient.csrfToken(page.get("/").body());

        HttpResponse<String> fromQuery = page.postWithoutCsrf("/ui/links?_csrf=" + token,
                Map.of("fqdn", "csrf-query.example.com", "expose", "web:80"));
        assertThat(fromQuery.statusCode()).isEqualTo(403);
        assertThat(new TestApi(port).get("/links?fqdn=csrf-query.example.com").json().size()).isZero();

        HttpResponse<String> fromForm = page.postWithoutCsrf("/ui/links",
                Map.of("fqdn", "csrf-form.example.com", "expose", "web:80", "_csrf", token));
        assertThat(fromForm.statusCode()).as("the same token in the form body is fine").isEqualTo(302);
    }

    @Test
    void anUnknownHostHeaderIsNeverEchoedInARedirect() throws IOException {
        for (String path : new String[] {"/", "/ui/tokens", "/swagger-ui.html"}) {
            String reply = raw("GET " + path + " HTTP/1.1\r\nHost: evil.example\r\nAccept: text/html\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(reply).as(path).startsWith("HTTP/1.1 302").contains("\r\nLocation: /login")
                    .doesNotContain("evil.example");
        }
        PageClient page = new PageClient(port);
        HttpResponse<String> signedIn = page.signIn(TestApi.TEST_TOKEN);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).isEqualTo("/");
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void swaggerUiWorksFromTheSignedInSessionForReadsOnly() {
        PageClient page = new PageClient(port).signedInAsAdmin();

        HttpResponse<String> docs = page.get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("\"openapi\"");
        assertThat(page.get("/v3/api-docs/swagger-config").statusCode()).isEqualTo(200);
        assertThat(page.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);

        HttpResponse<String> write = page.postWithoutCsrf("/links", Map.of("fqdn", "session.example.com"));
        assertThat(write.statusCode()).as("the session never authorises the API's writes").isEqualTo(401);

        assertThat(new PageClient(port).get("/v3/api-docs").statusCode()).as("not signed in").isEqualTo(401);
        assertThat(new TestApi(port).get("/v3/api-docs").status()).as("a bearer token still works")
                .isEqualTo(200);
    }
}
