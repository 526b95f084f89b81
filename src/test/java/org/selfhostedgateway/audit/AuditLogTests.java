package org.selfhostedgateway.audit;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.ui.PageClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditLogTests {

    @LocalServerPort
    int port;

    TestApi admin() {
        return new TestApi(port);
    }

    @Test
    void linkChangesAreRecordedWithWhoMadeThemNewestFirst() {
        String token = admin().post("/tokens", TestApi.json("name", "audited-bot")).json().get("token").asString();
        String id = new TestApi(port, token).createLink("audited.example.com", "app:80").json().get("id").asString();
        admin().delete("/links/" + id);

        List<JsonNode> entries = entriesAbout("audited.example.com");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("action").asString()).isEqualTo("LINK_DELETED");
        assertThat(entries.get(0).get("actor").asString()).isEqualTo("admin token");
        assertThat(entries.get(1).get("action").asString()).isEqualTo("LINK_CREATED");
        assertThat(entries.get(1).get("actor").asString()).isEqualTo("token audited-bot");
        assertThat(entries.get(1).get("subjectId").asString()).isEqualTo(id);
        assertThat(entries.get(1).get("address").asString()).isEqualTo("127.0.0.1");
        assertThat(entries.get(0).get("id").asLong()).isGreaterThan(entries.get(1).get("id").asLong());
    }

    @Test
    void aLinkThatWasNotCreatedLeavesNoEntry() {
        admin().createLink("once.audit.example.com", "app:80");
        admin().createLink("once.audit.example.com", "app:80");
        assertThat(admin().createLink("once.audit.example.com", "other:80").status()).isEqualTo(409);

        assertThat(entriesAbout("once.audit.example.com")).hasSize(1);
    }

    @Test
    void signInsSignOutsAndTokensAreRecordedAndThePageShowsThem() {
        PageClient page = new PageClient(port).signedInAsAdmin();
        String tokenId = admin().post("/tokens", TestApi.json("name", "short-lived")).json().get("id").asString();
        admin().delete("/tokens/" + tokenId);

        List<JsonNode> tokenEntries = entriesAbout("short-lived");
        assertThat(tokenEntries).extracting(e -> e.get("action").asString())
                .containsExactly("TOKEN_REVOKED", "TOKEN_CREATED");
        assertThat(tokenEntries).allSatisfy(e -> assertThat(e.get("subjectId").asString()).isEqualTo(tokenId));

        String html = page.get("/ui/audit").body();
        assertThat(html).contains("TOKEN_REVOKED", "short-lived", "SIGNED_IN", "admin (signed in)");
        page.submit("/logout", java.util.Map.of());
        assertThat(admin().get("/audit?limit=1").json().get(0).get("action").asString()).isEqualTo("SIGNED_OUT");
    }

    @Test
    void theLogIsPagedNewestFirst() {
        for (int i = 0; i < 3; i++) {
            admin().createLink("page" + i + ".audit.example.com", "app:80");
        }
        JsonNode first = admin().get("/audit?limit=2").json();
        assertThat(first).hasSize(2);
        long last = first.get(1).get("id").asLong();
        JsonNode next = admin().get("/audit?limit=2&before=" + last).json();
        assertThat(next.get(0).get("id").asLong()).isLessThan(last);
        assertThat(first.get(0).get("subject").asString()).isEqualTo("page2.audit.example.com");

        Reply tooMany = admin().get("/audit?limit=501");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.header("Content-Type")).isEqualTo("application/problem+json");
    }

    private List<JsonNode> entriesAbout(String subject) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode entry : admin().get("/audit?limit=500").json()) {
            if (entry.has("subject") && entry.get("subject").asString().equals(subject)) {
                found.add(entry);
            }
        }
        return found;
    }
}
