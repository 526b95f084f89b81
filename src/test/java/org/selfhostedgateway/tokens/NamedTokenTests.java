package org.selfhostedgateway.tokens;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.ui.PageClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NamedTokenTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate database;

    TestApi admin() {
        return new TestApi(port);
    }

    @Test
    void aNamedTokenIsShownOnceWorksForLinksAndIsRefusedAtOnceAfterRevocation() {
        Reply created = admin().post("/tokens", TestApi.json("name", "deploy-bot"));
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asString();
        String id = created.json().get("id").asString();
        assertThat(token).startsWith("sgw_").hasSize(47);
        assertThat(created.json().get("createdBy").asString()).isEqualTo("admin token");

        JsonNode listed = tokenNamed(admin().get("/tokens").json(), "deploy-bot");
        assertThat(listed.get("id").asString()).isEqualTo(id);
        assertThat(listed.has("token")).as("the token is never shown again").isFalse();

        TestApi bot = new TestApi(port, token);
        Reply link = bot.createLink("bot.tokens.example.com", "app:80");
        assertThat(link.status()).isEqualTo(201);
        assertThat(bot.get("/links?fqdn=bot.tokens.example.com").status()).isEqualTo(200);
        assertThat(tokenNamed(admin().get("/tokens").json(), "deploy-bot").has("lastUsedAt")).isTrue();

        assertThat(admin().delete("/tokens/" + id).status()).isEqualTo(204);

        Reply refused = bot.get("/links");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(admin().delete("/tokens/" + id).status()).isEqualTo(404);
        assertThat(admin().get("/tokens").body()).doesNotContain("deploy-bot");
    }

    @Test
    void onlyTheAdminManagesTokensAndReadsTheAuditLog() {
        String token = admin().post("/tokens", TestApi.json("name", "limited")).json().get("token").asString();
        TestApi limited = new TestApi(port, token);

        for (Reply reply : List.of(limited.get("/tokens"), limited.post("/tokens", TestApi.json("name", "more")),
                limited.get("/audit"))) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        }
    }

    @Test
    void onlyTheTokensHashIsStored() {
        Reply created = admin().post("/tokens", TestApi.json("name", "stored-hashed"));
        String token = created.json().get("token").asString();

        Map<String, Object> row = database.queryForMap("select * from api_token where name = 'stored-hashed'");
        assertThat(row.get("TOKEN_HASH")).isEqualTo(NamedTokens.hash(token));
        assertThat(row.values()).extracting(String::valueOf).noneMatch(value -> value.contains(token))
                .noneMatch(value -> value.contains(token.substring(4)));
    }

    @Test
    void namesAreCheckedAndUnique() {
        Reply invalid = admin().post("/tokens", TestApi.json("name", "has spaces"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors").get(0).get("field").asString()).isEqualTo("name");

        assertThat(admin().post("/tokens", TestApi.json("name", "twice")).status()).isEqualTo(201);
        Reply again = admin().post("/tokens", TestApi.json("name", "twice"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains("twice");
    }

    @Test
    void thePageCreatesShowsOnceListsAndRevokesTokens() {
        PageClient page = new PageClient(port).signedInAsAdmin();
        page.get("/ui/tokens");
        var created = page.follow(page.submit("/ui/tokens", Map.of("name", "from-the-page")));
        String token = created.body().replaceAll("(?s).*<pre id=\"new-token\"[^>]*><code>(sgw_[^<]+)</code>.*", "$1");
        assertThat(token).startsWith("sgw_");
        assertThat(new TestApi(port, token).get("/links").status()).isEqualTo(200);
        assertThat(page.get("/ui/tokens").body()).as("shown once only").doesNotContain(token)
                .contains("from-the-page");

        JsonNode listed = tokenNamed(admin().get("/tokens").json(), "from-the-page");
        assertThat(listed.get("createdBy").asString()).isEqualTo("admin (signed in)");
        var revoked = page.submit("/ui/tokens/" + listed.get("id").asString() + "/revoke", Map.of());
        assertThat(revoked.statusCode()).isEqualTo(302);
        assertThat(page.follow(revoked).body()).contains("Revoked the token from-the-page");
        assertThat(new TestApi(port, token).get("/links").status()).isEqualTo(401);

        var invalid = page.submit("/ui/tokens", Map.of("name", "no spaces please"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("The name must be 1 to 64 letters, digits, dots, hyphens or "
                + "underscores, such as ci-deploy.");
    }

    private static JsonNode tokenNamed(JsonNode tokens, String name) {
        for (JsonNode token : tokens) {
            if (token.get("name").asString().equals(name)) {
                return token;
            }
        }
        throw new AssertionError("No token named " + name + " in " + tokens);
    }
}
