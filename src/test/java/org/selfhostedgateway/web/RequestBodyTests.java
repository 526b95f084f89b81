package org.selfhostedgateway.web;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
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
    void aBodyLargerThanTheLimitGets413WhetherItsLengthIsAnnouncedOrNot() {
        String padded = "{" + " ".repeat(10 * 1024 * 1024) + "\"fqdn\": \"huge.example.com\", \"expose\": \"web:80\"}";
        // As curl does for large bodies: the gateway answers before the body is sent.
        Reply announced = api().send(api().request("/links").header("Content-Type", "application/json")
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofString(padded)));
        assertThat(announced.status()).isEqualTo(413);
        assertThat(announced.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(announced.json().get("detail").asString()).contains("65536 bytes");

        String chunkedBody = "{" + " ".repeat(100 * 1024) + "\"fqdn\": \"chunked.example.com\", \"expose\": \"web:80\"}";
        Reply chunked = api().send(api().request("/links").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(chunkedBody.getBytes(StandardCharsets.UTF_8)))));
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.header("Content-Type")).isEqualTo("application/problem+json");

        assertThat(api().get("/links?fqdn=huge.example.com").json().size()).isZero();
        assertThat(api().get("/links?fqdn=chunked.example.com").json().size()).isZero();
        assertThat(api().createLink("small.example.com", "web:80").status()).isEqualTo(201);
    }
}
