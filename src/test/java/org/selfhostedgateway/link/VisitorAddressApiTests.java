package org.selfhostedgateway.link;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Which links get the visitor's address, and how a link made before it existed moves over. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VisitorAddressApiTests {

    @LocalServerPort
    int port;

    TestApi api() {
        return new TestApi(port);
    }

    @Test
    void aNewLinkDeliversTheVisitorsAddressAndItsSnippetTellsTheHomeSide() {
        JsonNode link = api().createLink("visitor.example.com", "app:80").json();
        String id = link.get("id").asString();

        assertThat(link.get("visitorAddress").asString()).isEqualTo("PROXY_PROTOCOL");
        assertThat(api().get("/links/" + id).json().get("visitorAddress").asString()).isEqualTo("PROXY_PROTOCOL");
        assertThat(api().get("/links?fqdn=visitor.example.com").json().get(0).get("visitorAddress").asString())
                .isEqualTo("PROXY_PROTOCOL");
        Map<String, Object> service = service(link.get("compose").asString());
        assertThat(LinkApiTests.snippetEnvironment(link.get("compose").asString()))
                .containsEntry("GATEWAY_PROXY_PROTOCOL", "on");
        assertThat(service.get("sysctls")).isEqualTo(Map.of("net.ipv6.conf.lo.disable_ipv6", 0));
    }

    @Test
    void aLinkMadeTheOldWayKeepsItsSnippetUntilItIsMovedOverAndThenGetsTheNewOne() {
        Reply created = api().post("/links", TestApi.json("fqdn", "old-way.example.com", "expose", "app:80",
                "visitorAddress", "NONE"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.json().get("visitorAddress").asString()).isEqualTo("NONE");
        Map<String, Object> oldEnvironment = LinkApiTests.snippetEnvironment(created.json().get("compose").asString());
        assertThat(oldEnvironment).doesNotContainKey("GATEWAY_PROXY_PROTOCOL");
        assertThat(service(created.json().get("compose").asString())).doesNotContainKey("sysctls");
        // Asking again the same way is the same link; asking for the other mode is a conflict, not a silent change.
        assertThat(api().createLink("old-way.example.com", "app:80").status()).isEqualTo(200);
        Reply otherMode = api().post("/links", TestApi.json("fqdn", "old-way.example.com", "expose", "app:80",
                "visitorAddress", "PROXY_PROTOCOL"));
        assertThat(otherMode.status()).isEqualTo(409);
        assertThat(otherMode.json().get("detail").asString()).contains("visitorAddress NONE");

        Reply moved = api().patch("/links/" + id, TestApi.json("visitorAddress", "PROXY_PROTOCOL"));

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("visitorAddress").asString()).isEqualTo("PROXY_PROTOCOL");
        assertThat(moved.json().get("udpPort")).isEqualTo(created.json().get("udpPort"));
        assertThat(moved.json().get("gatewayPublicKey")).isEqualTo(created.json().get("gatewayPublicKey"));
        assertThat(LinkApiTests.snippetEnvironment(moved.json().get("compose").asString()))
                .containsEntry("GATEWAY_PROXY_PROTOCOL", "on")
                .containsEntry("GATEWAY_CLIENT_WG_PRIVKEY", oldEnvironment.get("GATEWAY_CLIENT_WG_PRIVKEY"));
        assertThat(api().get("/links/" + id).json().get("visitorAddress").asString()).isEqualTo("PROXY_PROTOCOL");
        assertThat(api().get("/audit?limit=500").json().valueStream()
                .filter(entry -> entry.has("subject") && entry.get("subject").asString().equals("old-way.example.com"))
                .filter(entry -> entry.get("action").asString().equals("LINK_VISITOR_ADDRESS_CHANGED"))
                .map(entry -> entry.get("change").asString()))
                .containsExactly("visitorAddress: NONE -> PROXY_PROTOCOL");
    }

    @Test
    void aChangeThatIsNotAModeOrNotALinkIsAProblemThatSaysWhy() {
        String id = api().createLink("patched.example.com", "app:80").json().get("id").asString();

        Reply unknownMode = api().patch("/links/" + id, TestApi.json("visitorAddress", "SOMETIMES"));
        assertThat(unknownMode.status()).isEqualTo(400);
        assertThat(unknownMode.header("Content-Type")).isEqualTo("application/problem+json");
        Reply missing = api().patch("/links/" + id, "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("visitorAddress");
        Reply noLink = api().patch("/links/" + UUID.randomUUID(), TestApi.json("visitorAddress", "NONE"));
        assertThat(noLink.status()).isEqualTo(404);
        assertThat(api().get("/links/" + id).json().get("visitorAddress").asString()).isEqualTo("PROXY_PROTOCOL");
    }

    @Test
    void linksStoredBeforeTheUpgradeAreNone(@TempDir Path data) throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("gateway");
        Flyway.configure().dataSource(url, "sa", "").target("6").load().migrate();
        try (Connection db = DriverManager.getConnection(url, "sa", ""); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO link (id, fqdn, expose, udp_port, gateway_private_key, gateway_public_key, "
                    + "client_public_key, state, created_at, updated_at, version) VALUES ('l1', 'before.example.com', "
                    + "'app:80', 51820, 'v1:x', 'g', 'c', 'ACTIVE', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)");

            Flyway.configure().dataSource(url, "sa", "").load().migrate();

            try (ResultSet row = sql.executeQuery("SELECT visitor_address FROM link WHERE id = 'l1'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("NONE");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String compose) {
        Map<String, Object> services = new Yaml().load(compose);
        return (Map<String, Object>) services.values().iterator().next();
    }
}
