package org.selfhostedgateway.ports;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "gateway.ports.first=40000", "gateway.ports.last=40001" })
class PortRangeTests {

    @LocalServerPort
    int port;

    @Test
    void aFullRangeAnswers503NamingItAndADeletedLinksPortIsGivenOutAgain() {
        TestApi api = new TestApi(port);
        Reply first = api.createLink("one.range.example.com", "app:80");
        Reply second = api.createLink("two.range.example.com", "app:80");
        assertThat(first.json().get("udpPort").asInt()).isEqualTo(40000);
        assertThat(second.json().get("udpPort").asInt()).isEqualTo(40001);

        Reply full = api.createLink("three.range.example.com", "app:80");
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(full.json().get("detail").asString()).contains("40000-40001/udp");
        assertThat(full.json().get("portRange").asString()).isEqualTo("40000-40001/udp");
        assertThat(api.get("/links?fqdn=three.range.example.com").json()).isEmpty();

        assertThat(api.delete("/links/" + first.json().get("id").asString()).status()).isEqualTo(204);

        Reply third = api.createLink("three.range.example.com", "app:80");
        assertThat(third.status()).isEqualTo(201);
        assertThat(third.json().get("udpPort").asInt()).isEqualTo(40000);
    }
}
