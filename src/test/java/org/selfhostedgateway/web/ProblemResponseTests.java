package org.selfhostedgateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error the API answers, however early it is found, is an RFC 9457 problem document. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemResponseTests {

    @LocalServerPort
    int port;

    TestApi api() {
        return new TestApi(port);
    }

    @Test
    void pathsTheFirewallOrTomcatRefuseAnswerProblems() throws IOException {
        for (String path : new String[] {"/links/%2e%2e", "/links/x;y", "/links/a%2fb", "/links/%2e%2e/tokens"}) {
            String reply = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TestApi.TEST_TOKEN + "\r\nConnection: close\r\n\r\n");
            assertThat(reply).as(path).matches("(?s)HTTP/1\\.1 4\\d\\d .*")
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"status\":4").doesNotContain("<html");
        }
    }

    @Test
    void anOversizedHeaderAnswersAProblem() throws IOException {
        String reply = raw("GET /links HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(reply).matches("(?s)HTTP/1\\.1 4\\d\\d .*").containsIgnoringCase(
                "Content-Type: application/problem+json").doesNotContain("<html");
    }

    @Test
    void traceIsA405Problem() {
        Reply trace = api().send(api().request("/links").method("TRACE", HttpRequest.BodyPublishers.noBody()));
        assertThat(trace.status()).isEqualTo(405);
        assertThat(trace.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void aMissingContentTypeNamesTheOneExpected() {
        Reply missing = api().send(api().request("/links").POST(HttpRequest.BodyPublishers.ofString(
                TestApi.json("fqdn", "no-type.example.com", "expose", "web:80"))));
        assertThat(missing.status()).isEqualTo(415);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(missing.json().get("detail").asString()).contains("application/json").doesNotContain("null");
    }

    @Test
    void anAuditLimitOutOfRangeNamesTheParameter() {
        for (String limit : new String[] {"0", "501"}) {
            Reply refused = api().get("/audit?limit=" + limit);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.json().get("detail").asString()).contains("limit").contains("500");
            assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("limit");
        }
    }

    @Test
    void anUnknownPathIsA404Problem() {
        Reply missing = api().get("/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
    }

    /** Sends bytes exactly as given (no client normalises the path or refuses the header first). */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
