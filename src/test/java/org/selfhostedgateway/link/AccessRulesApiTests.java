package org.selfhostedgateway.link;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** PUT /links/{id}/access: what is stored, shown, audited and refused. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccessRulesApiTests {

    private static final String PASSWORD = "correct horse battery";
    /** bcrypt of "htpasswd-secret", cost 05, as htpasswd -nbB prints it. */
    private static final String GIVEN_HASH = new BCryptPasswordEncoder(5).encode("htpasswd-secret");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate database;

    @Autowired
    LinkAccessRules accessRules;

    @Autowired
    DataPlaneLinks dataPlane;

    TestApi api() {
        return new TestApi(port);
    }

    Reply put(TestApi api, String id, String body) {
        return api.put("/links/" + id + "/access", body);
    }

    String link(String fqdn) {
        return api().createLink(fqdn, "app:80").json().get("id").asString();
    }

    @Test
    void aNewLinkHasNoRulesAndNoBasicAuthInItsSnippet() {
        JsonNode created = api().createLink("none.acl.example.com", "app:80").json();

        assertThat(created.get("access").toString()).isEqualTo("{\"allow\":[],\"deny\":[],\"basicAuthUsers\":[]}");
        assertThat(api().get("/links?fqdn=none.acl.example.com").json().get(0).get("access").get("allow").size())
                .isZero();
        assertThat(LinkApiTests.snippetEnvironment(created.get("compose").asString()))
                .doesNotContainKey("LINK_BASIC_AUTH");
    }

    @Test
    void rulesAreStoredNormalisedShownWithoutSecretsAndTheSnippetCarriesTheHashes() {
        String id = link("stored.acl.example.com");

        Reply reply = put(api(), id, """
                {"allow": ["203.0.113.0/24", "2001:DB8:0:0::/32", "198.51.100.7"],
                 "deny": ["203.0.113.128/25"],
                 "basicAuth": [{"username": "alice", "password": "%s"},
                               {"username": "bob", "passwordHash": "%s"}]}""".formatted(PASSWORD, GIVEN_HASH));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode access = reply.json().get("access");
        assertThat(access.get("allow").toString())
                .isEqualTo("[\"203.0.113.0/24\",\"2001:db8::/32\",\"198.51.100.7/32\"]");
        assertThat(access.get("deny").toString()).isEqualTo("[\"203.0.113.128/25\"]");
        assertThat(access.get("basicAuthUsers").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(api().get("/links/" + id).json().get("access")).isEqualTo(access);
        assertThat(reply.json().get("homeUpdate").asString()).contains("IP rules are in force at the gateway at once")
                .contains("LINK_BASIC_AUTH").contains("link-stored-acl-example-com");

        // The snippet is how the home side learns the users: base64 of each bcrypt hash, never a password.
        String basicAuth = (String) LinkApiTests.snippetEnvironment(reply.json().get("compose").asString())
                .get("LINK_BASIC_AUTH");
        Map<String, String> hashes = List.of(basicAuth.split(" ")).stream().map(entry -> entry.split(":", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> new String(Base64.getDecoder().decode(pair[1]),
                        StandardCharsets.US_ASCII)));
        assertThat(basicAuth).startsWith("alice:");
        assertThat(hashes.keySet()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(new BCryptPasswordEncoder().matches(PASSWORD, hashes.get("alice"))).isTrue();
        assertThat(hashes.get("bob")).isEqualTo(GIVEN_HASH);
        assertThat(basicAuth).doesNotContain("$").doesNotContain(PASSWORD);

        // Nothing but the snippet shows a hash, and nothing at all the password.
        String stored = database.queryForObject("select access_basic_auth from link where id = ?", String.class, id);
        assertThat(stored).doesNotContain(PASSWORD).contains("alice:$2a$10$");
        ObjectNode withoutSnippet = (ObjectNode) reply.json();
        withoutSnippet.remove("compose");
        assertThat(withoutSnippet.toString()).doesNotContain(PASSWORD).doesNotContain(GIVEN_HASH).doesNotContain("$2a$");
        assertThat(api().get("/links").body()).doesNotContain(PASSWORD).doesNotContain("$2a$")
                .doesNotContain(hashes.get("alice"));
        assertThat(api().get("/audit?limit=500").body()).doesNotContain(PASSWORD).doesNotContain("$2a$")
                .doesNotContain(Base64.getEncoder().encodeToString(GIVEN_HASH.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aLinkMayBeCreatedWithItsRulesInOneCallAndTheGatewayEnforcesThemFromTheStart() {
        Reply created = api().post("/links", """
                {"fqdn": "born.acl.example.com", "expose": "app:80",
                 "access": {"allow": ["203.0.113.0/24"], "deny": ["203.0.113.66"],
                            "basicAuth": [{"username": "alice", "password": "%s"}]}}""".formatted(PASSWORD));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.json().get("access").toString()).isEqualTo(
                "{\"allow\":[\"203.0.113.0/24\"],\"deny\":[\"203.0.113.66/32\"],\"basicAuthUsers\":[\"alice\"]}");
        assertThat(dataPlane.ipRules()).as("what the gateway's NGINX gets in links.access")
                .anySatisfy(rules -> assertThat(rules.linkId()).isEqualTo(id));
        String basicAuth = (String) LinkApiTests.snippetEnvironment(created.json().get("compose").asString())
                .get("LINK_BASIC_AUTH");
        assertThat(basicAuth).startsWith("alice:").doesNotContain(PASSWORD);
        JsonNode made = audit("born.acl.example.com").stream()
                .filter(entry -> entry.get("action").asString().equals("LINK_CREATED")).findFirst().orElseThrow();
        assertThat(made.get("change").asString())
                .isEqualTo("allow: [] -> [203.0.113.0/24]; deny: [] -> [203.0.113.66/32]; basicAuthUsers: [] -> [alice]");
        assertThat(api().get("/audit?limit=500").body()).doesNotContain(PASSWORD).doesNotContain("$2a$");

        // The same create again answers the link (a password is not compared); other networks are a conflict.
        Reply again = api().post("/links", """
                {"fqdn": "born.acl.example.com", "expose": "app:80",
                 "access": {"allow": ["203.0.113.0/24"], "deny": ["203.0.113.66/32"],
                            "basicAuth": [{"username": "alice", "password": "another long password"}]}}""");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(id);
        Reply other = api().post("/links", """
                {"fqdn": "born.acl.example.com", "expose": "app:80", "access": {"allow": ["198.51.100.0/24"]}}""");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().get("detail").asString()).contains("with other access rules")
                .contains("allow: [] -> [203.0.113.0/24]").contains("PUT /links/" + id + "/access");
    }

    @Test
    void aCreateWithRefusedRulesNamesTheFieldAndStoresNothing() {
        Reply badNetwork = api().post("/links", """
                {"fqdn": "refused.acl.example.com", "expose": "app:80", "access": {"allow": ["203.0.113.7/24"]}}""");
        assertThat(badNetwork.status()).isEqualTo(400);
        assertThat(badNetwork.json().get("errors").get(0).get("field").asString()).isEqualTo("access.allow[0]");
        assertThat(badNetwork.json().get("detail").asString()).contains("access.allow[0]").contains("host bits");

        Reply noPassword = api().post("/links", """
                {"fqdn": "refused.acl.example.com", "expose": "app:80",
                 "access": {"basicAuth": [{"username": "alice"}]}}""");
        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.json().get("errors").get(0).get("field").asString()).isEqualTo("access.basicAuth[0]");
        assertThat(noPassword.json().get("errors").get(0).get("message").asString()).contains("needs a password");

        assertThat(api().get("/links?fqdn=refused.acl.example.com").json().size()).as("nothing stored").isZero();
    }

    @Test
    void everyChangeIsAuditedWithOldAndNewAndAnEmptyBodyClearsEverything() {
        String id = link("audited.acl.example.com");

        put(api(), id, "{\"deny\": [\"198.51.100.0/24\"], \"basicAuth\": [{\"username\": \"alice\", "
                + "\"password\": \"" + PASSWORD + "\"}]}");
        // alice by name alone keeps her password; carol is new.
        Reply kept = put(api(), id, "{\"allow\": [\"203.0.113.0/24\"], \"deny\": [\"198.51.100.0/24\"], "
                + "\"basicAuth\": [{\"username\": \"alice\"}, {\"username\": \"carol\", \"password\": \"another one\"}]}");
        assertThat(kept.status()).isEqualTo(200);
        String aliceHash = database.queryForObject("select access_basic_auth from link where id = ?", String.class, id)
                .lines().filter(line -> line.startsWith("alice:")).findFirst().orElseThrow();
        Reply newPassword = put(api(), id, "{\"allow\": [\"203.0.113.0/24\"], \"deny\": [\"198.51.100.0/24\"], "
                + "\"basicAuth\": [{\"username\": \"alice\", \"password\": \"a new password\"}, {\"username\": \"carol\"}]}");
        assertThat(database.queryForObject("select access_basic_auth from link where id = ?", String.class, id))
                .doesNotContain(aliceHash);
        Reply same = put(api(), id, "{\"allow\": [\"203.0.113.0/24\"], \"deny\": [\"198.51.100.0/24\"], "
                + "\"basicAuth\": [{\"username\": \"alice\"}, {\"username\": \"carol\"}]}");
        assertThat(same.json().get("homeUpdate").asString()).isEqualTo("Nothing changed.");
        Reply ipOnly = put(api(), id, "{\"deny\": [\"198.51.100.0/24\"], "
                + "\"basicAuth\": [{\"username\": \"alice\"}, {\"username\": \"carol\"}]}");
        assertThat(ipOnly.json().get("homeUpdate").asString()).contains("Nothing to do at home");
        Reply cleared = put(api(), id, "{}");
        assertThat(put(api(), id, "").json().get("homeUpdate").asString()).as("no body: as {}")
                .isEqualTo("Nothing changed.");

        assertThat(newPassword.status()).isEqualTo(200);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("access").toString())
                .isEqualTo("{\"allow\":[],\"deny\":[],\"basicAuthUsers\":[]}");
        assertThat(LinkApiTests.snippetEnvironment(cleared.json().get("compose").asString()))
                .doesNotContainKey("LINK_BASIC_AUTH");
        assertThat(database.queryForMap("select access_allow, access_deny, access_basic_auth from link where id = ?",
                id).values()).containsOnlyNulls();
        assertThat(changes("audited.acl.example.com")).containsExactly(
                "deny: [] -> [198.51.100.0/24]; basicAuthUsers: [] -> [alice]",
                "allow: [] -> [203.0.113.0/24]; basicAuthUsers: [alice] -> [alice, carol]",
                "basicAuthUsers: [alice, carol] -> [alice, carol] (new password for alice)",
                "allow: [203.0.113.0/24] -> []",
                "deny: [198.51.100.0/24] -> []; basicAuthUsers: [alice, carol] -> []");
    }

    @Test
    void everyFieldIsCheckedAndEachRefusalNamesItsField() {
        String id = link("refused.acl.example.com");

        assertRefused(id, "{\"allow\": [\"203.0.113.7/24\"]}", "allow[0]", "host bits set", "203.0.113.0/24");
        assertRefused(id, "{\"allow\": [\"2001:db8::1/32\"]}", "allow[0]", "host bits set", "2001:db8::/32");
        assertRefused(id, "{\"deny\": [\"10.0.0.0/8\", \"10.0.0.0/33\"]}", "deny[1]", "0 to 32");
        assertRefused(id, "{\"deny\": [\"2001:db8::/129\"]}", "deny[0]", "0 to 128");
        assertRefused(id, "{\"deny\": [\"example.com\"]}", "deny[0]", "IPv4 or IPv6 network");
        assertRefused(id, "{\"deny\": [\"10.0.0.0/8;\"]}", "deny[0]", "prefix");
        assertRefused(id, "{\"deny\": [\"10.0.0.0/8 1; }\"]}", "deny[0]", "prefix");
        assertRefused(id, "{\"deny\": [\"256.1.1.1\"]}", "deny[0]", "IPv4 or IPv6 network");
        assertRefused(id, "{\"deny\": [\"fe80::1%eth0\"]}", "deny[0]", "IPv4 or IPv6 network");
        assertRefused(id, "{\"deny\": [\"::ffff:192.0.2.1\"]}", "deny[0]", "write it as IPv4", "192.0.2.1/32");
        assertRefused(id, "{\"deny\": [null]}", "deny[0]", "not null");
        assertRefused(id, "{\"allow\": [\"192.0.2.0/24\", \"192.0.2.0/24\"]}", "allow[1]", "again (as allow[0])");
        String tooMany = IntStream.range(0, AccessRulesPolicy.MAX_NETWORKS + 1)
                .mapToObj(i -> "\"10." + (i / 256) + "." + (i % 256) + ".0/24\"").collect(Collectors.joining(","));
        assertRefused(id, "{\"allow\": [" + tooMany + "]}", "allow", "at most 200");

        assertRefused(id, "{\"basicAuth\": [{\"password\": \"" + PASSWORD + "\"}]}", "basicAuth[0].username",
                "is required");
        for (String name : List.of("al:ice", "al ice", "", "a".repeat(65), "ali\\u00e9", "al\\\"ice", "a\\nb")) {
            assertRefused(id, "{\"basicAuth\": [{\"username\": \"" + name + "\", \"password\": \"" + PASSWORD
                    + "\"}]}", "basicAuth[0].username", "no colon");
        }
        assertRefused(id, "{\"basicAuth\": [{\"username\": \"alice\", \"password\": \"short\"}]}",
                "basicAuth[0].password", "at least 8");
        assertRefused(id, "{\"basicAuth\": [{\"username\": \"alice\", \"password\": \"" + "\u00e9".repeat(37)
                + "\"}]}", "basicAuth[0].password", "at most 72 bytes");
        assertRefused(id, "{\"basicAuth\": [{\"username\": \"alice\", \"password\": \"tab\\there-too\"}]}",
                "basicAuth[0].password", "control characters");
        assertRefused(id, "{\"basicAuth\": [{\"username\": \"alice\", \"password\": \"" + PASSWORD
                + "\", \"passwordHash\": \"" + GIVEN_HASH + "\"}]}", "basicAuth[0]", "give one of them");
        for (String hash : List.of("$1$abc", GIVEN_HASH.substring(0, 59), GIVEN_HASH.replace("$05$", "$17$"),
                GIVEN_HASH.replace("$2a$", "$2x$"), GIVEN_HASH.substring(0, 59) + "!", "plain-text-password")) {
            assertRefused(id, "{\"basicAuth\": [{\"username\": \"alice\", \"passwordHash\": \"" + hash + "\"}]}",
                    "basicAuth[0].passwordHash", "must be a bcrypt hash");
        }
        assertRefused(id, "{\"basicAuth\": [{\"username\": \"alice\"}]}", "basicAuth[0]",
                "alice is not a user of this link yet");
        assertRefused(id, "{\"basicAuth\": [{\"username\": \"alice\", \"password\": \"" + PASSWORD + "\"}, "
                + "{\"username\": \"alice\", \"password\": \"" + PASSWORD + "\"}]}", "basicAuth[1].username", "again");
        assertRefused(id, "{\"basicAuth\": [null]}", "basicAuth[0]", "must be a user");
        String users = IntStream.range(0, AccessRulesPolicy.MAX_USERS + 1)
                .mapToObj(i -> "{\"username\": \"u" + i + "\", \"passwordHash\": \"" + GIVEN_HASH + "\"}")
                .collect(Collectors.joining(","));
        assertRefused(id, "{\"basicAuth\": [" + users + "]}", "basicAuth", "at most 20 users");
        Reply unknown = put(api(), id, "{\"allowed\": [\"10.0.0.0/8\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("allowed");

        // Several refusals at once are all named; nothing was stored by any of them.
        Reply several = put(api(), id, "{\"allow\": [\"x\"], \"deny\": [\"10.0.0.1/8\"], "
                + "\"basicAuth\": [{\"username\": \"a:b\", \"password\": \"x\"}]}");
        assertThat(several.json().get("errors").valueStream().map(error -> error.get("field").asString()))
                .containsExactly("allow[0]", "deny[0]", "basicAuth[0].username", "basicAuth[0].password");
        assertThat(api().get("/links/" + id).json().get("access").toString())
                .isEqualTo("{\"allow\":[],\"deny\":[],\"basicAuthUsers\":[]}");
        assertThat(changes("refused.acl.example.com")).isEmpty();
    }

    @Test
    void noSuchLinkIsA404AndTheLimitsThemselvesAreAccepted() {
        Reply missing = put(api(), UUID.randomUUID().toString(), "{\"deny\": [\"10.0.0.0/8\"]}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");

        String id = link("limits.acl.example.com");
        String networks = IntStream.range(0, AccessRulesPolicy.MAX_NETWORKS)
                .mapToObj(i -> "\"2001:db8:" + Integer.toHexString(i) + "::/48\"").collect(Collectors.joining(","));
        String users = IntStream.range(0, AccessRulesPolicy.MAX_USERS)
                .mapToObj(i -> "{\"username\": \"user-" + i + "." + "x".repeat(50) + "\", \"passwordHash\": \""
                        + GIVEN_HASH + "\"}").collect(Collectors.joining(","));
        Reply full = put(api(), id, "{\"allow\": [" + networks + "], \"deny\": [" + networks.replace("db8", "db9")
                + ", \"0.0.0.0/0\"], \"basicAuth\": [" + users + "]}");
        // 201 deny entries is one over the limit; 200 of them are fine.
        assertThat(full.status()).as(full.body()).isEqualTo(400);
        assertThat(full.json().get("errors").get(0).get("field").asString()).isEqualTo("deny");
        assertThat(full.body()).contains("at most 200");
        Reply atLimit = put(api(), id, "{\"allow\": [" + networks + "], \"deny\": [" + networks.replace("db8", "db9")
                + "], \"basicAuth\": [" + users + "]}");
        assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(200);
        assertThat(atLimit.json().get("access").get("deny").size()).isEqualTo(200);
        assertThat(atLimit.json().get("access").get("basicAuthUsers").size()).isEqualTo(20);
        String password72 = "p".repeat(72);
        assertThat(put(api(), id, "{\"basicAuth\": [{\"username\": \"max\", \"password\": \"" + password72 + "\"}]}")
                .status()).isEqualTo(200);
    }

    @Test
    void aNamedTokenMayChangeRulesAndTheAuditNamesIt() {
        String token = api().post("/tokens", TestApi.json("name", "acl-bot")).json().get("token").asString();
        TestApi bot = new TestApi(port, token);
        String id = bot.createLink("bot.acl.example.com", "app:80").json().get("id").asString();
        String adminsLink = link("admins.acl.example.com");

        assertThat(put(bot, id, "{\"deny\": [\"192.0.2.0/24\"]}").status()).isEqualTo(200);
        assertThat(put(bot, adminsLink, "{\"deny\": [\"192.0.2.0/24\"]}").status()).isEqualTo(200);
        assertThat(put(new TestApi(port, "sgw_not-a-token"), id, "{}").status()).isEqualTo(401);

        JsonNode entry = audit("bot.acl.example.com").stream()
                .filter(e -> e.get("action").asString().equals("LINK_ACCESS_RULES_CHANGED")).findFirst().orElseThrow();
        assertThat(entry.get("actor").asString()).isEqualTo("token acl-bot");
        assertThat(entry.get("change").asString()).isEqualTo("deny: [] -> [192.0.2.0/24]");
    }

    private void assertRefused(String id, String body, String field, String... words) {
        Reply reply = put(api(), id, body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode error = reply.json().get("errors").valueStream()
                .filter(e -> e.get("field").asString().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError(field + " not named in " + reply.body()));
        assertThat(error.get("message").asString()).as(body).contains(words);
        assertThat(reply.json().get("detail").asString()).contains(field);
        assertThat(reply.body()).doesNotContain(PASSWORD);
    }

    private List<JsonNode> audit(String fqdn) {
        return api().get("/audit?limit=500").json().valueStream()
                .filter(entry -> entry.has("subject") && entry.get("subject").asString().equals(fqdn)).toList();
    }

    /** The recorded changes of access rules, oldest first. */
    private List<String> changes(String fqdn) {
        List<String> changes = new java.util.ArrayList<>(audit(fqdn).stream()
                .filter(entry -> entry.get("action").asString().equals("LINK_ACCESS_RULES_CHANGED"))
                .map(entry -> entry.get("change").asString()).toList());
        java.util.Collections.reverse(changes);
        return changes;
    }
}
