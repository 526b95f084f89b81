package org.selfhostedgateway.link;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LinkApiTests {

    @LocalServerPort
    int port;

    TestApi api() {
        return new TestApi(port);
    }

    @Test
    void createAnswers201WithLocationKeysPortAndSnippet() {
        Reply reply = api().createLink("Nginx.Example.com", "nginx:80");

        assertThat(reply.status()).isEqualTo(201);
        JsonNode link = reply.json();
        String id = link.get("id").asString();
        assertThat(reply.header("Location")).endsWith("/links/" + id);
        assertThat(link.get("fqdn").asString()).isEqualTo("nginx.example.com");
        assertThat(link.get("expose").asString()).isEqualTo("nginx:80");
        assertThat(link.get("state").asString()).isEqualTo("PROVISIONING");
        int udpPort = link.get("udpPort").asInt();
        assertThat(udpPort).isBetween(51820, 52819);
        assertThat(link.get("endpoint").asString()).isEqualTo("gateway.example.test:" + udpPort);
        assertThat(link.get("gatewayPublicKey").asString()).hasSize(44);
        assertThat(link.get("createdAt").asString()).isNotBlank();

        Map<String, Object> environment = snippetEnvironment(link.get("compose").asString());
        assertThat(environment).containsEntry("LINK_DOMAIN", "nginx.example.com")
                .containsEntry("EXPOSE", "nginx:80")
                .containsEntry("GATEWAY_LINK_WG_PUBKEY", link.get("gatewayPublicKey").asString())
                .containsEntry("GATEWAY_ENDPOINT", "gateway.example.test:" + udpPort)
                .containsKey("GATEWAY_CLIENT_WG_PRIVKEY");

        Reply compose = api().get("/links/" + id + "/compose");
        assertThat(compose.status()).isEqualTo(200);
        assertThat(compose.header("Content-Type")).startsWith("application/yaml");
        assertThat(compose.body()).isEqualTo(link.get("compose").asString());
    }

    @Test
    void theSnippetAnswersWhateverTheCallerAcceptsYamlByDefault() {
        JsonNode link = api().createLink("formats.example.com", "web:80").json();
        String path = "/links/" + link.get("id").asString() + "/compose";
        String snippet = link.get("compose").asString();

        for (String accept : new String[] {"*/*", "application/yaml", "application/*", "text/html, */*;q=0.8"}) {
            Reply yaml = api().send(api().request(path).header("Accept", accept).GET());
            assertThat(yaml.header("Content-Type")).as(accept).startsWith("application/yaml");
            assertThat(yaml.body()).isEqualTo(snippet);
        }
        Reply json = api().send(api().request(path).header("Accept", "application/json").GET());
        assertThat(json.header("Content-Type")).startsWith("application/json");
        assertThat(json.json().asString()).isEqualTo(snippet);
        Reply text = api().send(api().request(path).header("Accept", "text/plain").GET());
        assertThat(text.header("Content-Type")).startsWith("text/plain");
        assertThat(text.body()).isEqualTo(snippet);
        Reply problemOnly = api().send(api().request(path).header("Accept", "application/problem+json").GET());
        assertThat(problemOnly.status()).as("never a 406").isEqualTo(200);

        Reply missing = api().send(api().request("/links/no-such-link/compose")
                .header("Accept", "application/problem+json").GET());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void theSnippetIsAComposeServiceWithTunDeviceCapabilityAndCertificateVolume() {
        JsonNode link = api().createLink("shape.example.com", "web:8080").json();

        Map<String, Object> services = new Yaml().load(link.get("compose").asString());
        assertThat(services).containsOnlyKeys("link-shape-example-com");
        @SuppressWarnings("unchecked")
        Map<String, Object> service = (Map<String, Object>) services.get("link-shape-example-com");
        assertThat(service.get("image")).isEqualTo("selfhosted-gateway/client-link:latest");
        assertThat(service.get("cap_add")).isEqualTo(List.of("NET_ADMIN"));
        assertThat(service.get("devices")).isEqualTo(List.of("/dev/net/tun:/dev/net/tun"));
        assertThat(service.get("volumes")).isEqualTo(List.of("./link-data/shape.example.com:/data"));
        assertThat(service.get("restart")).isEqualTo("unless-stopped");
    }

    @Test
    void creatingTheSameLinkAgainReturnsItWith200AndTheSameSnippet() {
        JsonNode first = api().createLink("again.example.com", "app:3000").json();

        Reply second = api().createLink("AGAIN.example.com", "app:3000");

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("id")).isEqualTo(first.get("id"));
        assertThat(second.json().get("udpPort")).isEqualTo(first.get("udpPort"));
        assertThat(second.json().get("compose")).isEqualTo(first.get("compose"));
    }

    @Test
    void theSameFqdnWithAnotherExposeIsAConflict() {
        String id = api().createLink("conflict.example.com", "app:3000").json().get("id").asString();

        Reply reply = api().createLink("conflict.example.com", "other:3000");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().get("detail").asString()).contains("conflict.example.com", "app:3000");
        assertThat(reply.json().get("linkId").asString()).isEqualTo(id);
    }

    @Test
    void aLinkCanBeListedFoundByFqdnReadAndDeletedOnce() {
        String id = api().createLink("life.example.com", "app:80").json().get("id").asString();

        assertThat(api().get("/links").json().findValuesAsString("id")).contains(id);
        JsonNode found = api().get("/links?fqdn=Life.Example.com").json();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("id").asString()).isEqualTo(id);
        assertThat(found.get(0).has("compose")).as("lists leave the snippet (and its private key) out").isFalse();
        assertThat(api().get("/links?fqdn=nobody.example.com").json()).isEmpty();
        assertThat(api().get("/links/" + id).json().get("compose").asString()).contains("life.example.com");

        assertThat(api().delete("/links/" + id).status()).isEqualTo(204);

        Reply again = api().delete("/links/" + id);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("detail").asString()).contains(id);
        assertThat(api().get("/links/" + id).status()).isEqualTo(404);
        assertThat(api().get("/links/" + id + "/compose").status()).isEqualTo(404);
        assertThat(api().get("/links").json().findValuesAsString("id")).doesNotContain(id);
    }

    @Test
    void aClientThatBringsItsOwnPublicKeyNeverGetsAPrivateKeyInItsSnippet() {
        String clientPublicKey = "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=";
        JsonNode link = api().post("/links", TestApi.json("fqdn", "own-key.example.com", "expose", "app:80",
                "clientPublicKey", clientPublicKey)).json();

        assertThat(link.get("clientPublicKey").asString()).isEqualTo(clientPublicKey);
        Map<String, Object> environment = snippetEnvironment(link.get("compose").asString());
        assertThat(String.valueOf(environment.get("GATEWAY_CLIENT_WG_PRIVKEY")))
                .startsWith("${GATEWAY_CLIENT_WG_PRIVKEY:?");

        Reply otherKey = api().post("/links", TestApi.json("fqdn", "own-key.example.com", "expose", "app:80",
                "clientPublicKey", "QQnuRGUkW2wDKb6asosQYPpz4WHGqV3/Mpz67hq5mUk="));
        assertThat(otherKey.status()).isEqualTo(409);
    }

    @Test
    void everyErrorIsAProblemDocument() {
        assertProblem(api().send(api().request("/links").PUT(java.net.http.HttpRequest.BodyPublishers.noBody())),
                405);
        assertProblem(api().send(api().request("/links").header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("fqdn"))), 415);
        assertProblem(api().post("/links", "{\"fqdn\": \"broken.example.com\", "), 400);
        assertProblem(api().post("/links", "[1, 2]"), 400);
        assertProblem(api().get("/no-such-endpoint"), 404);
        assertProblem(api().get("/links/does-not-exist"), 404);
    }

    private static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().get("title").asString()).isNotBlank();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> snippetEnvironment(String compose) {
        Map<String, Object> services = new Yaml().load(compose);
        Map<String, Object> service = (Map<String, Object>) services.values().iterator().next();
        return (Map<String, Object>) service.get("environment");
    }
}
