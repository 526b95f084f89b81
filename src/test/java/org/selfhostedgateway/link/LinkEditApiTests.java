package org.selfhostedgateway.link;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several names per link, and a link changed in place (PATCH), through the API without a data plane. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LinkEditApiTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    LinkRepository links;

    @Autowired
    DataPlaneLinks dataPlane;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate database;

    TestApi api() {
        return new TestApi(port);
    }

    @Test
    void aliasesAreStoredInLowerCaseShownEverywhereFoundByNameAndCarriedByTheSnippet() {
        Reply created = create("shop.edit.example.com", "shop:80", "WWW.Shop.edit.example.com",
                "old-shop.edit.example.com");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = id(created);
        List<String> expected = List.of("www.shop.edit.example.com", "old-shop.edit.example.com");
        assertThat(aliases(created.json())).isEqualTo(expected);
        assertThat(aliases(api().get("/links/" + id).json())).isEqualTo(expected);
        assertThat(api().get("/links").json().valueStream().filter(link -> link.get("id").asString().equals(id))
                .map(LinkEditApiTests::aliases)).containsExactly(expected);
        for (String name : List.of("shop.edit.example.com", "www.shop.edit.example.com", "OLD-shop.edit.example.com")) {
            assertThat(api().get("/links?fqdn=" + name).json().valueStream().map(link -> link.get("id").asString()))
                    .as("found by %s", name).containsExactly(id);
        }
        assertThat(LinkApiTests.snippetEnvironment(created.json().get("compose").asString()))
                .containsEntry("LINK_DOMAIN",
                        "shop.edit.example.com,www.shop.edit.example.com,old-shop.edit.example.com");
        assertThat(dataPlane.routes()).filteredOn(route -> route.linkId().equals(id)).extracting(LinkRoute::fqdn)
                .as("one map line per name").containsExactlyInAnyOrder("shop.edit.example.com",
                        "www.shop.edit.example.com", "old-shop.edit.example.com");

        // Asking again with the same names is the same link; with other names it is a conflict, not a change.
        assertThat(create("shop.edit.example.com", "shop:80", "www.shop.edit.example.com",
                "old-shop.edit.example.com").status()).isEqualTo(200);
        assertThat(api().createLink("shop.edit.example.com", "shop:80").status()).isEqualTo(200);
        Reply otherNames = create("shop.edit.example.com", "shop:80", "www.shop.edit.example.com");
        assertThat(otherNames.status()).isEqualTo(409);
        assertThat(otherNames.json().get("detail").asString()).contains("PATCH /links/" + id);
    }

    @Test
    void aLinkWithoutAliasesShowsAnEmptyListAndOnlyItsNameInTheSnippet() {
        Reply created = api().createLink("plain.edit.example.com", "app:80");

        assertThat(created.json().get("aliases")).isEmpty();
        assertThat(api().get("/links?fqdn=plain.edit.example.com").json().get(0).get("aliases")).isEmpty();
        assertThat(LinkApiTests.snippetEnvironment(created.json().get("compose").asString()))
                .containsEntry("LINK_DOMAIN", "plain.edit.example.com");
    }

    @Test
    void aliasesThatCannotBeNamesAre400NamingTheFieldAndNothingIsStored() {
        long before = links.count();
        String tooMany = JSON.writeValueAsString(IntStream.rangeClosed(1, LinkNames.MAX_ALIASES + 1)
                .mapToObj(i -> "n" + i + ".bad.edit.example.com").toList());
        for (String[] refused : new String[][] {
                {"[\"not a name\"]", "aliases[0]"},
                {"[\"ok.bad.edit.example.com\", \"a;b.example.com\"]", "aliases[1]"},
                {"[null]", "aliases[0]"},
                {"[\"x.bad.edit.example.com\", \"X.bad.edit.example.com\"]", "aliases[1]"},
                {"[\"BAD.edit.example.com\"]", "aliases[0]"},
                {tooMany, "aliases"}}) {
            Reply reply = api().post("/links", "{\"fqdn\": \"bad.edit.example.com\", \"expose\": \"app:80\", "
                    + "\"aliases\": " + refused[0] + "}");
            assertThat(reply.status()).as(refused[0] + ": " + reply).isEqualTo(400);
            assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(reply.json().get("errors").findValuesAsString("field")).as(refused[0]).contains(refused[1]);
        }
        assertThat(links.count()).isEqualTo(before);
        assertThat(api().get("/links?fqdn=bad.edit.example.com").json()).isEmpty();
    }

    @Test
    void eachNameBelongsToOneLinkAndAClashIs409NamingTheNameAndItsOwner() {
        Reply owner = create("owner.edit.example.com", "app:80", "alias.owner.edit.example.com");
        String ownerId = id(owner);
        String otherId = id(api().createLink("other.edit.example.com", "app:80"));
        long before = links.count();

        // An alias another link holds as an alias.
        Reply aliasVsAlias = create("new.edit.example.com", "app:80", "alias.owner.edit.example.com");
        assertNamesOwner(aliasVsAlias, "alias.owner.edit.example.com", "aliases[0]", ownerId);
        // An alias that is another link's main name.
        Reply aliasVsMain = create("new.edit.example.com", "app:80", "free.edit.example.com", "OWNER.edit.example.com");
        assertNamesOwner(aliasVsMain, "owner.edit.example.com", "aliases[1]", ownerId);
        // A main name that is another link's alias: a conflict, never that other link.
        Reply mainVsAlias = api().createLink("alias.owner.edit.example.com", "app:80");
        assertNamesOwner(mainVsAlias, "alias.owner.edit.example.com", "fqdn", ownerId);
        assertThat(links.count()).isEqualTo(before);
        assertThat(api().get("/links?fqdn=free.edit.example.com").json()).isEmpty();

        // The same through PATCH: nothing changes on the link that asked.
        Reply patched = api().patch("/links/" + otherId, TestApi.json("expose", "changed:80") .replace("}",
                ", \"aliases\": [\"mine.edit.example.com\", \"alias.owner.edit.example.com\"]}"));
        assertNamesOwner(patched, "alias.owner.edit.example.com", "aliases[1]", ownerId);
        JsonNode other = api().get("/links/" + otherId).json();
        assertThat(other.get("expose").asString()).isEqualTo("app:80");
        assertThat(other.get("aliases")).isEmpty();
        assertThat(api().get("/links?fqdn=mine.edit.example.com").json()).isEmpty();

        // Once the owner lets it go, the name is free for another link; deleting a link frees all its names.
        assertThat(patchAliases(ownerId).status()).isEqualTo(200);
        assertThat(patchAliases(otherId, "alias.owner.edit.example.com").status()).isEqualTo(200);
        assertThat(api().delete("/links/" + otherId).status()).isEqualTo(204);
        assertThat(api().createLink("alias.owner.edit.example.com", "app:80").status()).isEqualTo(201);
    }

    @Test
    void manyCreatesAtOnceAskingForOneAliasGiveItToExactlyOneLink() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<Reply> replies = new java.util.ArrayList<>();
        try {
            for (var future : pool.invokeAll(IntStream.range(0, 8).<java.util.concurrent.Callable<Reply>>mapToObj(
                    i -> () -> create("racer" + i + ".edit.example.com", "app:80", "race.edit.example.com")).toList())) {
                replies.add(future.get());
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(replies).extracting(Reply::status).containsOnly(201, 409).filteredOn(status -> status == 201)
                .hasSize(1);
        String winner = replies.stream().filter(reply -> reply.status() == 201).findFirst().map(LinkEditApiTests::id)
                .orElseThrow();
        assertThat(replies).filteredOn(reply -> reply.status() == 409)
                .allSatisfy(reply -> assertThat(reply.json().get("ownerId").asString()).isEqualTo(winner));
        assertThat(api().get("/links?fqdn=race.edit.example.com").json().get(0).get("id").asString())
                .isEqualTo(winner);
    }

    @Test
    void theDatabaseItselfRefusesANameForASecondLink() {
        String first = id(create("db-first.edit.example.com", "app:80", "db-alias.edit.example.com"));
        String second = id(api().createLink("db-second.edit.example.com", "app:80"));

        for (String taken : List.of("db-alias.edit.example.com", "db-first.edit.example.com")) {
            assertThatThrownBy(() -> database.update("insert into link_name (name, link_id, position) values (?, ?, 1)",
                    taken, second)).as(taken).isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
        }
        assertThat(database.queryForObject("select link_id from link_name where name = ?", String.class,
                "db-alias.edit.example.com")).isEqualTo(first);
    }

    @Test
    void patchChangesExposeAndAliasesInPlaceAuditsBothAndSaysWhatTheHomeSideMustDo() {
        Reply created = create("blog.edit.example.com", "blog:80", "www.blog.edit.example.com");
        String id = id(created);
        String privateKey = (String) LinkApiTests.snippetEnvironment(created.json().get("compose").asString())
                .get("GATEWAY_CLIENT_WG_PRIVKEY");

        Reply edited = api().patch("/links/" + id, "{\"expose\": \"blog:8080\", \"aliases\": "
                + "[\"www.blog.edit.example.com\", \"News.blog.edit.example.com\"]}");

        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        JsonNode link = edited.json();
        for (String kept : List.of("id", "udpPort", "gatewayPublicKey", "clientPublicKey", "fqdn", "endpoint")) {
            assertThat(link.get(kept)).as(kept).isEqualTo(created.json().get(kept));
        }
        assertThat(link.get("expose").asString()).isEqualTo("blog:8080");
        assertThat(aliases(link)).containsExactly("www.blog.edit.example.com", "news.blog.edit.example.com");
        assertThat(LinkApiTests.snippetEnvironment(link.get("compose").asString()))
                .containsEntry("EXPOSE", "blog:8080")
                .containsEntry("LINK_DOMAIN",
                        "blog.edit.example.com,www.blog.edit.example.com,news.blog.edit.example.com")
                .containsEntry("GATEWAY_CLIENT_WG_PRIVKEY", privateKey);
        assertThat(link.get("homeUpdate").asString()).contains("must take the new snippet")
                .contains("EXPOSE to 'blog:8080'")
                .contains("LINK_DOMAIN to 'blog.edit.example.com,www.blog.edit.example.com,"
                        + "news.blog.edit.example.com'");
        JsonNode read = api().get("/links/" + id).json();
        assertThat(read.get("expose").asString()).isEqualTo("blog:8080");
        assertThat(read.get("compose")).isEqualTo(link.get("compose"));
        assertThat(api().get("/links?fqdn=news.blog.edit.example.com").json().get(0).get("id").asString())
                .isEqualTo(id);
        assertThat(changes("blog.edit.example.com")).containsExactly(
                "aliases: [www.blog.edit.example.com] -> [www.blog.edit.example.com, news.blog.edit.example.com]",
                "expose: blog:80 -> blog:8080");

        // Only the aliases, then the same again: the home side's words follow what changed.
        Reply onlyAliases = patchAliases(id);
        assertThat(onlyAliases.json().get("homeUpdate").asString()).contains("LINK_DOMAIN to 'blog.edit.example.com'")
                .doesNotContain("EXPOSE");
        assertThat(onlyAliases.json().get("expose").asString()).isEqualTo("blog:8080");
        assertThat(api().get("/links?fqdn=www.blog.edit.example.com").json()).isEmpty();
        Reply unchanged = api().patch("/links/" + id, TestApi.json("expose", "blog:8080"));
        assertThat(unchanged.json().get("homeUpdate").asString()).isEqualTo("Nothing changed.");
        Reply modeOnly = api().patch("/links/" + id, TestApi.json("expose", "blog:8080", "visitorAddress", "NONE"));
        assertThat(modeOnly.json().get("visitorAddress").asString()).isEqualTo("NONE");
        assertThat(modeOnly.json().get("homeUpdate").asString()).contains("GATEWAY_PROXY_PROTOCOL")
                .doesNotContain("Nothing changed");
        assertThat(changes("blog.edit.example.com")).hasSize(3).first().isEqualTo(
                "aliases: [www.blog.edit.example.com, news.blog.edit.example.com] -> []");
    }

    @Test
    void aPatchThatChangesNothingKnownOrIsInvalidOrHasNoLinkIsAProblemThatSaysWhy() {
        String id = id(api().createLink("problems.edit.example.com", "app:80"));

        Reply empty = api().patch("/links/" + id, "{}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(empty.json().get("detail").asString()).contains("expose", "aliases", "visitorAddress");
        Reply unknown = api().patch("/links/" + id, TestApi.json("fqdn", "renamed.edit.example.com"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").findValuesAsString("field")).contains("fqdn");
        Reply badExpose = api().patch("/links/" + id, TestApi.json("expose", "app:99999"));
        assertThat(badExpose.status()).isEqualTo(400);
        assertThat(badExpose.json().get("errors").findValuesAsString("field")).contains("expose");
        Reply selfAlias = patchAliases(id, "problems.edit.example.com");
        assertThat(selfAlias.status()).isEqualTo(400);
        assertThat(selfAlias.json().get("errors").findValuesAsString("field")).contains("aliases[0]");
        assertThat(selfAlias.json().get("detail").asString()).contains("main name");
        Reply noLink = api().patch("/links/" + UUID.randomUUID(), TestApi.json("expose", "app:81"));
        assertThat(noLink.status()).isEqualTo(404);

        JsonNode link = api().get("/links/" + id).json();
        assertThat(link.get("expose").asString()).isEqualTo("app:80");
        assertThat(link.get("aliases")).isEmpty();
        assertThat(changes("problems.edit.example.com")).isEmpty();
    }

    @Test
    void aNamedTokenMayEditALinkAndTheAuditSaysWho() {
        String token = api().post("/tokens", TestApi.json("name", "edit-bot")).json().get("token").asString();
        TestApi bot = new TestApi(port, token);
        String id = id(api().createLink("bot.edit.example.com", "app:80"));

        Reply edited = bot.patch("/links/" + id, "{\"expose\": \"app:81\", \"aliases\": [\"www.bot.edit.example.com\"]}");

        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().get("expose").asString()).isEqualTo("app:81");
        assertThat(edited.json().get("compose").asString()).as("not the key of a link another caller made")
                .contains("${GATEWAY_CLIENT_WG_PRIVKEY:?");
        assertThat(api().get("/audit?limit=500").json().valueStream()
                .filter(entry -> entry.has("subject") && entry.get("subject").asString().equals("bot.edit.example.com"))
                .filter(entry -> entry.get("action").asString().equals("LINK_EDITED"))
                .map(entry -> entry.get("actor").asString())).containsOnly("token edit-bot").hasSize(2);
    }

    @Test
    void linksStoredBeforeTheUpgradeKeepTheirNameAsTheirOnlyName(@TempDir Path data) throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("gateway");
        Flyway.configure().dataSource(url, "sa", "").target("9").load().migrate();
        try (Connection db = DriverManager.getConnection(url, "sa", ""); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO link (id, fqdn, expose, udp_port, gateway_private_key, gateway_public_key, "
                    + "client_public_key, state, created_at, updated_at, version, visitor_address) VALUES ('l1', "
                    + "'before.example.com', 'app:80', 51820, 'v1:x', 'g', 'c', 'ACTIVE', CURRENT_TIMESTAMP, "
                    + "CURRENT_TIMESTAMP, 0, 'NONE')");

            Flyway.configure().dataSource(url, "sa", "").load().migrate();

            try (ResultSet row = sql.executeQuery("SELECT name, link_id, position FROM link_name")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("before.example.com");
                assertThat(row.getString(2)).isEqualTo("l1");
                assertThat(row.getInt(3)).isZero();
                assertThat(row.next()).isFalse();
            }
            sql.execute("DELETE FROM link WHERE id = 'l1'");
            try (ResultSet row = sql.executeQuery("SELECT COUNT(*) FROM link_name")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getInt(1)).as("names go with their link").isZero();
            }
        }
    }

    private void assertNamesOwner(Reply reply, String name, String field, String ownerId) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("name").asString()).isEqualTo(name);
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("ownerId").asString()).isEqualTo(ownerId);
        assertThat(problem.get("ownerFqdn").asString()).isEqualTo("owner.edit.example.com");
        assertThat(problem.get("detail").asString()).contains(name, ownerId);
    }

    private Reply create(String fqdn, String expose, String... aliases) {
        return api().post("/links", "{\"fqdn\": \"" + fqdn + "\", \"expose\": \"" + expose + "\", \"aliases\": "
                + JSON.writeValueAsString(List.of(aliases)) + "}");
    }

    private Reply patchAliases(String id, String... aliases) {
        return api().patch("/links/" + id, "{\"aliases\": " + JSON.writeValueAsString(List.of(aliases)) + "}");
    }

    /** The LINK_EDITED entries of this name, newest first, as "what: old -> new". */
    private List<String> changes(String fqdn) {
        return api().get("/audit?limit=500").json().valueStream()
                .filter(entry -> entry.has("subject") && entry.get("subject").asString().equals(fqdn))
                .filter(entry -> entry.get("action").asString().equals("LINK_EDITED"))
                .map(entry -> entry.get("change").asString()).toList();
    }

    private static List<String> aliases(JsonNode link) {
        return link.get("aliases").valueStream().map(JsonNode::asString).toList();
    }

    private static String id(Reply reply) {
        return reply.json().get("id").asString();
    }
}
