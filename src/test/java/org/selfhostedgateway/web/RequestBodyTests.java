package org.selfhostedgateway.web;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies are read strictly: unknown fields and repeated keys are refused by name, and size is limited (413). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestBodyTests {

    @LocalServerPort
    int port;

    TestApi api() {
        return new TestApi(port);
    }

    @Test
    void anUnknownFieldIsRefusedByNameAndNothingIsCreated() {
        Reply typo = api().post("/links", "{\"fqdn\": \"typo.example.com\", \"expose\": \"web:80\", "
                + "\"clientPubKey\": \"Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=\"}");

        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(typo.json().get("errors").get(0).get("field").asString()).isEqualTo("clientPubKey");
        assertThat(typo.json().get("detail").asString()).contains("clientPubKey").contains("clientPublicKey");
        assertThat(api().get("/links?fqdn=typo.example.com").json().size()).isZero();

        Reply token = api().post("/tokens", "{\"name\": \"typo-token\", \"scope\": \"all\"}");
        assertThat(token.status()).isEqualTo(400);
        assertThat(token.json().get("errors").get(0).get("field").asString()).isEqualTo("scope");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        Reply twice = api().post("/links", "{\"fqdn\": \"first.example.com\", \"expose\": \"web:80\", "
                + "\"fqdn\": \"second.example.com\"}");

        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(twice.json().get("detail").asString()).contains("fqdn").contains("more than once");
        assertThat(api().get("/links?fqdn=second.example.com").json().size()).isZero();
    }

    @Test
    void aBodyLargerThanTheLimitGets413WhetherItsLengthIsAnnouncedOrNot() throws IOException {
        // A 10 MB body announced by Content-Length is refused before it is read: the test never sends most of it.
        String announced = exchange("POST /links HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestApi.TEST_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: " + (10 * 1024 * 1024)
                + "\r\nConnection: close\r\n\r\n{\"fqdn\": \"huge.example.com\", ");
        assertThat(announced).startsWith("HTTP/1.1 413").containsIgnoringCase("Content-Type: application/problem+json")
                .contains("65536 bytes");

        // Without a length, reading stops at the limit.
        String chunk = "{" + " ".repeat(100 * 1024) + "\"fqdn\": \"chunked.example.com\", \"expose\": \"web:80\"}";
        String chunked = exchange("POST /links HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestApi.TEST_TOKEN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 413").containsIgnoringCase("Content-Type: application/problem+json");

        assertThat(api().get("/links?fqdn=huge.example.com").json().size()).isZero();
        assertThat(api().get("/links?fqdn=chunked.example.com").json().size()).isZero();
        assertThat(api().createLink("small.example.com", "web:80").status()).isEqualTo(201);
    }

    /** Sends exactly these bytes and reads the answer up to the end of its problem document. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = socket.getInputStream().read(buffer)) > 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                int body = answer.indexOf("\r\n\r\n");
                if (body >= 0 && answer.indexOf("}", body) >= 0) {
                    break;
                }
            }
            return answer.toString();
        }
    }
}
