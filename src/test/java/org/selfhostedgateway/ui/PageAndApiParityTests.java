package org.selfhostedgateway.ui;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Creating and deleting a link on the page does exactly what the API does: same rows, same audit entries. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PageAndApiParityTests {

    static final String FQDN = "parity.example.com";
    static final String CLIENT_KEY = "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate database;

    @Test
    void theSameActionsThroughTheApiAndThePageLeaveTheSameRowsAndAuditEntries() {
        TestApi api = new TestApi(port);
        String apiId = api.post("/links", TestApi.json("fqdn", FQDN, "expose", "web:8080",
                "clientPublicKey", CLIENT_KEY)).json().get("id").asString();
        Map<String, Object> apiRow = row(apiId);
        assertThat(api.delete("/links/" + apiId).status()).isEqualTo(204);
        assertThat(database.queryForObject("select count(*) from link where fqdn = ?", Integer.class, FQDN))
                .isZero();

        PageClient page = new PageClient(port).signedInAsAdmin();
        page.get("/");
        HttpResponse<String> created = page.submit("/ui/links",
                Map.of("fqdn", FQDN, "expose", "web:8080", "clientPublicKey", CLIENT_KEY));
        assertThat(created.statusCode()).isEqualTo(302);
        String pageId = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/ui/links/", "");
        Map<String, Object> pageRow = row(pageId);
        page.get("/ui/links/" + pageId + "/delete");
        assertThat(page.submit("/ui/links/" + pageId + "/delete", Map.of()).statusCode()).isEqualTo(302);
        assertThat(api.get("/links/" + pageId).status()).isEqualTo(404);

        assertThat(pageRow).isEqualTo(apiRow);

        List<JsonNode> audit = entriesAbout(FQDN);
        assertThat(audit).hasSize(4);
        assertThat(withoutWho(audit.get(3), apiId)).isEqualTo(withoutWho(audit.get(1), pageId))
                .isEqualTo("LINK_CREATED parity.example.com 127.0.0.1");
        assertThat(withoutWho(audit.get(2), apiId)).isEqualTo(withoutWho(audit.get(0), pageId))
                .isEqualTo("LINK_DELETED parity.example.com 127.0.0.1");
        assertThat(audit).extracting(e -> e.get("actor").asString())
                .containsExactly("admin (signed in)", "admin (signed in)", "admin token", "admin token");
    }

    @Test
    void thePageShowsRefusalsInWordsNextToTheFieldsAndKeepsWhatWasTyped() {
        PageClient page = new PageClient(port).signedInAsAdmin();
        page.get("/");
        HttpResponse<String> invalid = page.submit("/ui/links",
                Map.of("fqdn", "", "expose", "web:99999", "clientPublicKey", "not-a-key"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("The public host name is required, for example nginx.example.com.")
                .contains("The service must be host:port, such as nginx:80")
                .contains("The client public key must be a WireGuard public key")
                .contains("value=\"web:99999\"");

        new TestApi(port).createLink("taken.parity.example.com", "web:80");
        page.get("/");
        HttpResponse<String> conflict = page.submit("/ui/links",
                Map.of("fqdn", "taken.parity.example.com", "expose", "other:80", "clientPublicKey", ""));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).contains("is already linked").contains("role=\"alert\"");

        HttpResponse<String> gone = page.get("/ui/links/no-such-link");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("No link has the id no-such-link");
    }

    @Test
    void portsTypedInTheFormAreStoredAsTheApiStoresThemAndABadLineIsNamed() {
        PageClient page = new PageClient(port).signedInAsAdmin();
        page.get("/");
        HttpResponse<String> created = page.submit("/ui/links", Map.of("fqdn", "ports.parity.example.com",
                "expose", "web:8080", "clientPublicKey", "", "ports",
                "tcp 25565 minecraft:25565\r\n\r\nudp 50100-50109 turn:50100\r\ntcp 2525 mail:25 proxy-v2\r\n"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        String id = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/ui/links/", "");
        JsonNode ports = new TestApi(port).get("/links/" + id).json().get("ports");
        assertThat(ports.toString()).isEqualTo("[{\"protocol\":\"tcp\",\"publicPort\":25565,\"target\":"
                + "\"minecraft:25565\"},{\"protocol\":\"udp\",\"publicPort\":50100,\"publicPortEnd\":50109,"
                + "\"target\":\"turn:50100\"},{\"protocol\":\"tcp\",\"publicPort\":2525,\"target\":\"mail:25\","
                + "\"proxyProtocol\":\"v2\"}]");
        assertThat(page.get("/ui/links/" + id).body()).contains("udp:50100-50109 → turn:50100");

        page.get("/");
        HttpResponse<String> bad = page.submit("/ui/links", Map.of("fqdn", "bad.parity.example.com", "expose",
                "web:8080", "clientPublicKey", "", "ports", "tcp 25565 minecraft:25565\nsomething else\n"
                        + "udp 7000 [::1]:7000"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("The raw ports must be one entry a line").contains("(line 2)")
                .contains("(entry 2: target) must be host:port");

        page.get("/");
        HttpResponse<String> taken = page.submit("/ui/links", Map.of("fqdn", "taken2.parity.example.com",
                "expose", "web:8080", "clientPublicKey", "", "ports", "tcp 25565 other:1"));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("tcp port 25565 is taken by the link of ports.parity.example.com");
    }

    /** The row as stored, less what is new for every link: id, keys, port and times. */
    private Map<String, Object> row(String id) {
        Map<String, Object> row = new java.util.TreeMap<>(database.queryForMap("select * from link where id = ?", id));
        for (String fresh : List.of("ID", "GATEWAY_PRIVATE_KEY", "GATEWAY_PUBLIC_KEY", "UDP_PORT", "CREATED_AT",
                "UPDATED_AT", "STATE", "STATE_REASON", "VERSION")) {
            assertThat(row).containsKey(fresh);
            row.remove(fresh);
        }
        return row;
    }

    private static String withoutWho(JsonNode entry, String linkId) {
        assertThat(entry.get("subjectId").asString()).isEqualTo(linkId);
        return entry.get("action").asString() + " " + entry.get("subject").asString() + " "
                + entry.get("address").asString();
    }

    private List<JsonNode> entriesAbout(String subject) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode entry : new TestApi(port).get("/audit?limit=500").json()) {
            if (entry.has("subject") && entry.get("subject").asString().equals(subject)) {
                found.add(entry);
            }
        }
        return found;
    }
}
