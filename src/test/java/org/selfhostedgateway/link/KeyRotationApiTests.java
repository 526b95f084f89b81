package org.selfhostedgateway.link;

import java.net.http.HttpRequest;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.keys.WireGuardKeys;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /links/{id}/keys replaces a link's keys in place (same id, port, names, ports), says what the home side must
 * do, and is audited without a key; GET /links/{id}/wireguard is the home side as a wg-quick config.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeyRotationApiTests {

    private static final WireGuardKeys KEYS = new WireGuardKeys();

    @LocalServerPort
    int port;

    TestApi admin() {
        return new TestApi(port);
    }

    @Test
    void aGeneratedKeyLinkGetsNewGatewayAndClientKeysOnTheSamePortAndId() {
        Reply created = admin().post("/links", """
                {"fqdn": "rotate-generated.example.com", "expose": "web:80",
                 "ports": [{"protocol": "tcp", "publicPort": 46001, "target": "game:7000"}]}""");
        JsonNode before = created.json();
        String id = before.get("id").asString();
        String oldPrivateKey = privateKeyIn(before.get("compose").asString());
        assertThat(before.has("keysRotatedAt")).as("no rotation yet").isFalse();

        Reply rotated = admin().post("/links/" + id + "/keys", "");

        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        JsonNode after = rotated.json();
        assertThat(after.get("id").asString()).isEqualTo(id);
        assertThat(after.get("udpPort").asInt()).isEqualTo(before.get("udpPort").asInt());
        assertThat(after.get("fqdn").asString()).isEqualTo("rotate-generated.example.com");
        assertThat(after.get("ports").get(0).get("publicPort").asInt()).isEqualTo(46001);
        assertThat(after.get("visitorAddress").asString()).isEqualTo(before.get("visitorAddress").asString());
        assertThat(after.get("gatewayPublicKey").asString()).isNotEqualTo(before.get("gatewayPublicKey").asString())
                .matches(LinkPatterns.WIREGUARD_KEY);
        assertThat(after.get("clientPublicKey").asString()).isNotEqualTo(before.get("clientPublicKey").asString());
        String newPrivateKey = privateKeyIn(after.get("compose").asString());
        assertThat(newPrivateKey).matches(LinkPatterns.WIREGUARD_KEY).isNotEqualTo(oldPrivateKey);
        assertThat(KEYS.publicKeyOf(newPrivateKey)).as("the snippet's key belongs to the new client public key")
                .isEqualTo(after.get("clientPublicKey").asString());
        assertThat(after.get("compose").asString()).contains(after.get("gatewayPublicKey").asString())
                .doesNotContain(oldPrivateKey).doesNotContain(before.get("gatewayPublicKey").asString());
        assertThat(after.get("keysRotatedAt").asString()).isNotBlank();
        assertThat(after.get("homeUpdate").asString()).contains("The old keys stopped working now")
                .contains("docker compose up -d").contains("Until then the link does not serve")
                .contains("link-rotate-generated-example-com");

        JsonNode reread = admin().get("/links/" + id).json();
        assertThat(reread.get("keysRotatedAt").asString()).isEqualTo(after.get("keysRotatedAt").asString());
        assertThat(reread.get("compose").asString()).contains(newPrivateKey).doesNotContain(oldPrivateKey);
        assertThat(reread.has("homeUpdate")).isFalse();
    }

    @Test
    void aSuppliedKeyLinkNeedsANewPublicKeyAndKeepsNoPrivateKey() {
        String firstKey = KEYS.generate().publicKey();
        Reply created = admin().post("/links", TestApi.json("fqdn", "rotate-supplied.example.com", "expose",
                "web:80", "clientPublicKey", firstKey));
        String id = created.json().get("id").asString();
        String gatewayKey = created.json().get("gatewayPublicKey").asString();

        Reply missing = admin().post("/links/" + id + "/keys", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(missing.json().get("detail").asString()).contains("supplied by the caller")
                .contains("clientPublicKey").contains("Nothing changed");
        Reply withoutBody = admin().post("/links/" + id + "/keys", "");
        assertThat(withoutBody.status()).isEqualTo(400);

        Reply same = admin().post("/links/" + id + "/keys", TestApi.json("clientPublicKey", firstKey));
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.json().get("detail").asString()).contains("has now").contains("new one");

        Reply malformed = admin().post("/links/" + id + "/keys", TestApi.json("clientPublicKey", "not-a-key"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("clientPublicKey").contains("WireGuard public key");
        assertThat(admin().get("/links/" + id).json().get("gatewayPublicKey").asString())
                .as("nothing changed by the refusals").isEqualTo(gatewayKey);

        String secondKey = KEYS.generate().publicKey();
        Reply rotated = admin().post("/links/" + id + "/keys", TestApi.json("clientPublicKey", secondKey));
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(rotated.json().get("clientPublicKey").asString()).isEqualTo(secondKey);
        assertThat(rotated.json().get("gatewayPublicKey").asString()).isNotEqualTo(gatewayKey);
        assertThat(privateKeyIn(rotated.json().get("compose").asString()))
                .isEqualTo("${GATEWAY_CLIENT_WG_PRIVKEY:?set the private key that belongs to " + secondKey + "}");
        assertThat(rotated.json().get("homeUpdate").asString()).contains("GATEWAY_CLIENT_WG_PRIVKEY")
                .contains(secondKey);
    }

    @Test
    void aGeneratedKeyLinkSwitchesToASuppliedKeyAndTheGatewayForgetsTheOldPrivateKey() {
        Reply created = admin().createLink("rotate-switch.example.com", "web:80");
        String id = created.json().get("id").asString();
        String oldPrivateKey = privateKeyIn(created.json().get("compose").asString());
        String supplied = KEYS.generate().publicKey();

        Reply rotated = admin().post("/links/" + id + "/keys", TestApi.json("clientPublicKey", supplied));

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("clientPublicKey").asString()).isEqualTo(supplied);
        assertThat(admin().get("/links/" + id + "/compose").body()).doesNotContain(oldPrivateKey)
                .contains("set the private key that belongs to " + supplied);
        assertThat(admin().get("/links/" + id + "/wireguard").body()).doesNotContain(oldPrivateKey)
                .contains("# PrivateKey = (put here your private key, the one that belongs to " + supplied);
        assertThat(lastRotationOf(id).get("change").asString())
                .contains("client key: generated by the gateway -> supplied by the caller");
    }

    @Test
    void theRotationIsAuditedWithDatesAndNoKey() {
        Reply created = admin().createLink("rotate-audit.example.com", "web:80");
        JsonNode before = created.json();
        String id = before.get("id").asString();

        JsonNode first = admin().post("/links/" + id + "/keys", "").json();
        // The admin's answer shows the new private key: that read is audited after the rotation.
        assertThat(lastEntryAbout(id).get("action").asString()).isEqualTo("LINK_PRIVATE_KEY_READ");
        JsonNode entry = lastRotationOf(id);
        assertThat(entry.get("action").asString()).isEqualTo("LINK_KEYS_ROTATED");
        assertThat(entry.get("actor").asString()).isEqualTo("admin token");
        assertThat(entry.get("subject").asString()).isEqualTo("rotate-audit.example.com");
        assertThat(entry.get("change").asString()).isEqualTo("keys: created " + before.get("createdAt").asString()
                + " -> rotated " + first.get("keysRotatedAt").asString()
                + "; client key: generated by the gateway -> generated by the gateway");

        JsonNode second = admin().post("/links/" + id + "/keys", "").json();
        assertThat(lastRotationOf(id).get("change").asString()).startsWith("keys: rotated "
                + first.get("keysRotatedAt").asString() + " -> rotated " + second.get("keysRotatedAt").asString());

        String audit = admin().get("/audit?limit=500").body();
        for (JsonNode link : new JsonNode[] {before, first, second}) {
            assertThat(audit).doesNotContain(link.get("gatewayPublicKey").asString())
                    .doesNotContain(link.get("clientPublicKey").asString())
                    .doesNotContain(privateKeyIn(link.get("compose").asString()));
        }
    }

    @Test
    void namedTokensMayRotateAndSeeTheNewPrivateKeyOnlyWhenTheyMayReadIt() {
        TestApi creator = namedToken("rotate-creator");
        TestApi other = namedToken("rotate-other");
        String id = creator.createLink("rotate-tokens.example.com", "web:80").json().get("id").asString();

        Reply byCreator = creator.post("/links/" + id + "/keys", "");
        assertThat(byCreator.status()).isEqualTo(200);
        String creatorsKey = privateKeyIn(byCreator.json().get("compose").asString());
        assertThat(creatorsKey).matches(LinkPatterns.WIREGUARD_KEY);
        assertThat(lastEntryAbout(id).get("actor").asString()).as("its read of the new key is audited")
                .isEqualTo("token rotate-creator");
        assertThat(entriesAbout(id)).extracting(e -> e.get("action").asString())
                .startsWith("LINK_PRIVATE_KEY_READ", "LINK_KEYS_ROTATED");

        Reply byOther = other.post("/links/" + id + "/keys", "");
        assertThat(byOther.status()).as("any named token may rotate, as it may edit").isEqualTo(200);
        assertThat(byOther.body()).doesNotContain(creatorsKey);
        assertThat(privateKeyIn(byOther.json().get("compose").asString())).startsWith("${GATEWAY_CLIENT_WG_PRIVKEY:?")
                .contains("token rotate-creator");
        assertThat(byOther.json().get("homeUpdate").asString())
                .contains("which only the admin and token rotate-creator can read");
        assertThat(lastEntryAbout(id).get("action").asString()).as("no key shown, no read audited")
                .isEqualTo("LINK_KEYS_ROTATED");
        assertThat(lastEntryAbout(id).get("actor").asString()).isEqualTo("token rotate-other");

        String newKey = privateKeyIn(creator.get("/links/" + id).json().get("compose").asString());
        assertThat(newKey).isNotEqualTo(creatorsKey);
        assertThat(KEYS.publicKeyOf(newKey)).isEqualTo(admin().get("/links/" + id).json().get("clientPublicKey")
                .asString());
    }

    @Test
    void unknownLinksAre404() {
        Reply rotate = admin().post("/links/no-such-link/keys", "");
        assertThat(rotate.status()).isEqualTo(404);
        assertThat(rotate.json().get("detail").asString()).isEqualTo("No link has the id no-such-link");
        Reply config = admin().get("/links/no-such-link/wireguard");
        assertThat(config.status()).isEqualTo(404);
        assertThat(config.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void theWireGuardConfigIsTheHomeSideForWgQuick() {
        Reply created = admin().post("/links", """
                {"fqdn": "wg-config.example.com", "expose": "web:80",
                 "ports": [{"protocol": "tcp", "publicPort": 46010, "target": "game:7000", "proxyProtocol": "v2"},
                           {"protocol": "udp", "publicPort": 46020, "publicPortEnd": 46029,
                            "target": "voice:9000"}]}""");
        JsonNode link = created.json();
        String id = link.get("id").asString();
        String privateKey = privateKeyIn(link.get("compose").asString());

        Reply config = admin().get("/links/" + id + "/wireguard");

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.header("Content-Type")).isEqualTo("text/plain;charset=UTF-8");
        assertThat(config.body()).contains("""
                [Interface]
                PrivateKey = %s
                Address = 10.231.0.2/30
                """.formatted(privateKey))
                .contains("MTU = 1420\n")
                .contains("""
                [Peer]
                # The gateway side of the link
                PublicKey = %s
                Endpoint = %s
                AllowedIPs = 10.231.0.1/32
                PersistentKeepalive = 25
                """.formatted(link.get("gatewayPublicKey").asString(), link.get("endpoint").asString()))
                .contains("#   443: HTTPS for wg-config.example.com")
                .contains("starts with a PROXY protocol v1 line")
                .contains("#   tcp 46010: forward to game:7000 (each connection starts with a PROXY protocol v2 "
                        + "header)")
                .contains("#   udp 46020-46029: forward to voice:9000 (and on, port by port)");
        assertThat(lastEntryAbout(id).get("action").asString()).as("the key read is audited")
                .isEqualTo("LINK_PRIVATE_KEY_READ");

        Reply asJson = admin().send(admin().request("/links/" + id + "/wireguard")
                .header("Accept", "application/json").GET());
        assertThat(asJson.header("Content-Type")).isEqualTo("application/json");
        assertThat(asJson.json().asString()).isEqualTo(config.body());
    }

    @Test
    void theWireGuardConfigHoldsThePrivateKeyOnlyForTheAdminAndTheCreatingToken() {
        TestApi creator = namedToken("wg-creator");
        TestApi other = namedToken("wg-other");
        Reply created = creator.createLink("wg-tokens.example.com", "web:80");
        String id = created.json().get("id").asString();
        String privateKey = privateKeyIn(created.json().get("compose").asString());
        long readsBefore = keyReadsOf(id);

        assertThat(creator.get("/links/" + id + "/wireguard").body()).contains("PrivateKey = " + privateKey);
        assertThat(keyReadsOf(id)).isEqualTo(readsBefore + 1);
        assertThat(lastEntryAbout(id).get("actor").asString()).isEqualTo("token wg-creator");

        String withheld = other.get("/links/" + id + "/wireguard").body();
        assertThat(withheld).doesNotContain(privateKey).doesNotContainPattern("(?m)^PrivateKey")
                .contains("# PrivateKey = (put here the private key that the gateway generated for "
                        + created.json().get("clientPublicKey").asString()
                        + ": only the admin and token wg-creator, which created the link, can read it");
        assertThat(keyReadsOf(id)).as("nothing shown, nothing audited").isEqualTo(readsBefore + 1);

        assertThat(admin().get("/links/" + id + "/wireguard").body()).contains("PrivateKey = " + privateKey);
        assertThat(keyReadsOf(id)).isEqualTo(readsBefore + 2);
    }

    private TestApi namedToken(String name) {
        Reply token = admin().post("/tokens", TestApi.json("name", name));
        assertThat(token.status()).isEqualTo(201);
        return new TestApi(port, token.json().get("token").asString());
    }

    private java.util.List<JsonNode> entriesAbout(String linkId) {
        java.util.List<JsonNode> found = new java.util.ArrayList<>();
        for (JsonNode entry : admin().get("/audit?limit=500").json()) {
            if (entry.has("subjectId") && linkId.equals(entry.get("subjectId").asString())) {
                found.add(entry);
            }
        }
        return found;
    }

    private JsonNode lastEntryAbout(String linkId) {
        return entriesAbout(linkId).get(0);
    }

    private JsonNode lastRotationOf(String linkId) {
        return entriesAbout(linkId).stream().filter(entry -> entry.get("action").asString()
                .equals("LINK_KEYS_ROTATED")).findFirst().orElseThrow();
    }

    private long keyReadsOf(String linkId) {
        return entriesAbout(linkId).stream()
                .filter(entry -> entry.get("action").asString().equals("LINK_PRIVATE_KEY_READ")).count();
    }

    @SuppressWarnings("unchecked")
    private static String privateKeyIn(String compose) {
        Map<String, Object> services = new Yaml().load(compose);
        Map<String, Object> service = (Map<String, Object>) services.values().iterator().next();
        return (String) ((Map<String, Object>) service.get("environment")).get("GATEWAY_CLIENT_WG_PRIVKEY");
    }
}
