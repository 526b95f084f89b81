package org.selfhostedgateway.link;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.ui.PageClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client private key the gateway generated is shown in the create answer, and later only to the admin and to
 * the named token that created the link; every later read of it is audited. Everyone else gets a snippet that asks
 * for the key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrivateKeyPolicyTests {

    @LocalServerPort
    int port;

    @Test
    void theCreatingTokenAndTheAdminReadTheKeyOtherTokensDoNot() {
        TestApi creator = namedToken("key-creator");
        TestApi other = namedToken("key-other");

        Reply created = creator.createLink("key-policy.example.com", "web:80");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        String privateKey = privateKeyIn(created.json().get("compose").asString());
        assertThat(privateKey).matches(LinkPatterns.WIREGUARD_KEY);
        assertThat(created.json().get("createdBy").asString()).isEqualTo("token key-creator");
        long auditedBefore = keyReadsOf(id);

        assertThat(privateKeyIn(creator.get("/links/" + id).json().get("compose").asString()))
                .isEqualTo(privateKey);
        assertThat(creator.get("/links/" + id + "/compose").body()).contains(privateKey);
        assertThat(keyReadsOf(id)).as("each later read of the key is audited").isEqualTo(auditedBefore + 2);
        assertThat(new TestApi(port).get("/audit?limit=1").json().get(0).get("actor").asString())
                .isEqualTo("token key-creator");

        Reply otherRead = other.get("/links/" + id);
        assertThat(otherRead.status()).isEqualTo(200);
        assertThat(otherRead.json().get("createdBy").asString()).isEqualTo("token key-creator");
        String withheld = privateKeyIn(otherRead.json().get("compose").asString());
        assertThat(withheld).startsWith("${GATEWAY_CLIENT_WG_PRIVKEY:?").contains("token key-creator")
                .doesNotContain(privateKey);
        assertThat(other.get("/links/" + id + "/compose").body()).doesNotContain(privateKey)
                .contains("only the admin and token key-creator");
        Reply repeated = other.createLink("key-policy.example.com", "web:80");
        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.body()).as("a repeated create by another token does not show the key either")
                .doesNotContain(privateKey);
        assertThat(keyReadsOf(id)).as("nothing was shown, so nothing is audited").isEqualTo(auditedBefore + 2);

        assertThat(new TestApi(port).get("/links/" + id).body()).contains(privateKey);
        assertThat(keyReadsOf(id)).isEqualTo(auditedBefore + 3);
        assertThat(new TestApi(port).get("/audit?limit=1").json().get(0).get("actor").asString())
                .isEqualTo("admin token");
    }

    @Test
    void theSignedInAdminSeesTheKeyOnThePageAndTheReadIsAudited() {
        Reply created = namedToken("key-page").createLink("key-page.example.com", "web:80");
        String id = created.json().get("id").asString();
        String privateKey = privateKeyIn(created.json().get("compose").asString());

        String page = new PageClient(port).signedInAsAdmin().get("/ui/links/" + id).body();

        assertThat(page).contains(privateKey).contains("token key-page");
        JsonNode last = new TestApi(port).get("/audit?limit=1").json().get(0);
        assertThat(last.get("action").asString()).isEqualTo("LINK_PRIVATE_KEY_READ");
        assertThat(last.get("actor").asString()).isEqualTo("admin (signed in)");
        assertThat(last.get("subjectId").asString()).isEqualTo(id);
    }

    @Test
    void linksTheAdminCreatedAreOwnedByTheAdminAndNamedTokensCannotReadTheirKeys() {
        Reply created = new TestApi(port).createLink("key-admin.example.com", "web:80");
        String id = created.json().get("id").asString();
        assertThat(created.json().get("createdBy").asString()).isEqualTo("admin");
        String privateKey = privateKeyIn(created.json().get("compose").asString());

        assertThat(namedToken("key-reader").get("/links/" + id + "/compose").body()).doesNotContain(privateKey)
                .contains("${GATEWAY_CLIENT_WG_PRIVKEY:?");
        assertThat(new TestApi(port).get("/links").json().findValuesAsString("createdBy")).contains("admin");
    }

    @Test
    void aClientThatBroughtItsOwnKeyGetsTheSameSnippetWhoeverAsks() {
        String clientKey = "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=";
        Reply created = new TestApi(port).post("/links", TestApi.json("fqdn", "key-own.example.com", "expose",
                "web:80", "clientPublicKey", clientKey));
        String id = created.json().get("id").asString();
        long before = keyReadsOf(id);

        assertThat(new TestApi(port).get("/links/" + id + "/compose").body())
                .isEqualTo(namedToken("key-own-reader").get("/links/" + id + "/compose").body())
                .contains("set the private key that belongs to " + clientKey);
        assertThat(keyReadsOf(id)).as("no private key, no audit entry").isEqualTo(before);
    }

    private TestApi namedToken(String name) {
        Reply token = new TestApi(port).post("/tokens", TestApi.json("name", name));
        assertThat(token.status()).isEqualTo(201);
        return new TestApi(port, token.json().get("token").asString());
    }

    private long keyReadsOf(String linkId) {
        JsonNode entries = new TestApi(port).get("/audit?limit=500").json();
        long count = 0;
        for (JsonNode entry : entries) {
            if (entry.get("action").asString().equals("LINK_PRIVATE_KEY_READ")
                    && entry.get("subjectId").asString().equals(linkId)) {
                count++;
            }
        }
        return count;
    }

    @SuppressWarnings("unchecked")
    private static String privateKeyIn(String compose) {
        Map<String, Object> services = new Yaml().load(compose);
        Map<String, Object> service = (Map<String, Object>) services.values().iterator().next();
        return (String) ((Map<String, Object>) service.get("environment")).get("GATEWAY_CLIENT_WG_PRIVKEY");
    }
}
