package org.selfhostedgateway.ui;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.keys.WireGuardKeys;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** "Rotate keys" on a link's page does what POST /links/{id}/keys does, and the page shows the new snippet. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeyRotationPageTests {

    @LocalServerPort
    int port;

    @Test
    void thePageWarnsRotatesShowsTheNewSnippetAndWhenTheKeysWereRotated() {
        TestApi api = new TestApi(port);
        JsonNode created = api.createLink("rotate-page.example.com", "web:80").json();
        String id = created.get("id").asString();
        PageClient page = new PageClient(port).signedInAsAdmin();

        String before = page.get("/ui/links/" + id).body();
        assertThat(before).contains("Rotate keys").contains("The home side stops serving at once")
                .contains("never: the keys are those made").contains("action=\"/ui/links/" + id + "/keys\"");

        HttpResponse<String> rotated = page.submit("/ui/links/" + id + "/keys", Map.of("clientPublicKey", ""));
        assertThat(rotated.statusCode()).isEqualTo(302);
        String after = page.follow(rotated).body();

        JsonNode link = api.get("/links/" + id).json();
        assertThat(link.get("gatewayPublicKey").asString()).isNotEqualTo(created.get("gatewayPublicKey").asString());
        assertThat(after).contains("New keys made. The old keys stopped working now")
                .contains(link.get("gatewayPublicKey").asString())
                .doesNotContain(created.get("gatewayPublicKey").asString())
                .doesNotContain("never: the keys are those made")
                .contains("datetime=\"" + link.get("keysRotatedAt").asString() + "\"");
        String newPrivateKey = new org.yaml.snakeyaml.Yaml().<Map<String, Map<String, Map<String, String>>>>load(
                link.get("compose").asString()).values().iterator().next().get("environment")
                .get("GATEWAY_CLIENT_WG_PRIVKEY");
        assertThat(after).as("the admin sees the new snippet with its private key").contains(newPrivateKey);

        List<JsonNode> rotations = rotationsOf(api, id);
        assertThat(rotations).hasSize(1);
        assertThat(rotations.get(0).get("actor").asString()).isEqualTo("admin (signed in)");
        assertThat(rotations.get(0).get("change").asString()).contains("keys: created ");
    }

    @Test
    void aSuppliedKeyLinkRefusedOnThePageSaysWhyAndChangesNothing() {
        TestApi api = new TestApi(port);
        WireGuardKeys keys = new WireGuardKeys();
        String firstKey = keys.generate().publicKey();
        JsonNode created = api.post("/links", TestApi.json("fqdn", "rotate-page-own.example.com", "expose", "web:80",
                "clientPublicKey", firstKey)).json();
        String id = created.get("id").asString();
        PageClient page = new PageClient(port).signedInAsAdmin();

        page.get("/ui/links/" + id);
        HttpResponse<String> missing = page.submit("/ui/links/" + id + "/keys", Map.of("clientPublicKey", ""));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("class=\"problem\"").contains("was supplied by the caller");

        HttpResponse<String> malformed = page.submit("/ui/links/" + id + "/keys",
                Map.of("clientPublicKey", "not-a-key"));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("The new client public key must be a WireGuard public key");
        assertThat(rotationsOf(api, id)).isEmpty();

        String secondKey = keys.generate().publicKey();
        HttpResponse<String> rotated = page.submit("/ui/links/" + id + "/keys", Map.of("clientPublicKey",
                " " + secondKey + " "));
        assertThat(rotated.statusCode()).isEqualTo(302);
        assertThat(page.follow(rotated).body()).contains("set the private key that belongs to " + secondKey);
        assertThat(api.get("/links/" + id).json().get("clientPublicKey").asString()).isEqualTo(secondKey);

        assertThat(page.submit("/ui/links/no-such-link/keys", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void rotatingWithoutTheFormsCsrfTokenIsRefused() {
        String id = new TestApi(port).createLink("rotate-page-csrf.example.com", "web:80").json().get("id")
                .asString();
        PageClient page = new PageClient(port).signedInAsAdmin();

        assertThat(page.postWithoutCsrf("/ui/links/" + id + "/keys", Map.of()).statusCode()).isEqualTo(403);
        assertThat(rotationsOf(new TestApi(port), id)).isEmpty();
    }

    private static List<JsonNode> rotationsOf(TestApi api, String linkId) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode entry : api.get("/audit?limit=500").json()) {
            if (entry.get("action").asString().equals("LINK_KEYS_ROTATED")
                    && linkId.equals(entry.get("subjectId").asString())) {
                found.add(entry);
            }
        }
        return found;
    }
}
