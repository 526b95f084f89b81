package org.selfhostedgateway.ui;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The link page shows a link's access rules and changes them as PUT /links/{id}/access does. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccessRulePagesTests {

    private static final String PASSWORD = "typed into the page";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate database;

    @Test
    void thePageShowsTheRulesAndItsFormSetsThemWithTheServerHashingThePassword() {
        TestApi api = new TestApi(port);
        String id = api.createLink("form.acl.example.com", "web:80").json().get("id").asString();
        PageClient page = new PageClient(port).signedInAsAdmin();

        String before = page.get("/ui/links/" + id).body();
        assertThat(before).contains("Access rules").contains("everyone (no allow list)")
                .contains("none (no password asked)").contains("action=\"/ui/links/" + id + "/access\"");

        HttpResponse<String> saved = page.submit("/ui/links/" + id + "/access", Map.of(
                "allow", "203.0.113.0/24\r\n2001:DB8::/32\r\n", "deny", "203.0.113.9, 198.51.100.0/24",
                "users", "alice " + PASSWORD + "\r\n\r\n"));

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        String after = page.follow(saved).body();
        assertThat(after).contains("Access rules saved.").contains("LINK_BASIC_AUTH")
                .contains("203.0.113.0/24, 2001:db8::/32").contains("203.0.113.9/32, 198.51.100.0/24")
                .doesNotContain(PASSWORD).doesNotContain("$2a$");
        JsonNode access = api.get("/links/" + id).json().get("access");
        assertThat(access.toString()).isEqualTo("{\"allow\":[\"203.0.113.0/24\",\"2001:db8::/32\"],"
                + "\"deny\":[\"203.0.113.9/32\",\"198.51.100.0/24\"],\"basicAuthUsers\":[\"alice\"]}");
        String hash = database.queryForObject("select access_basic_auth from link where id = ?", String.class, id);
        assertThat(new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder()
                .matches(PASSWORD, hash.substring("alice:".length()))).isTrue();

        // The form shows the names alone; sent back as they are, alice keeps her password.
        assertThat(after).contains(">alice</textarea>");
        page.get("/ui/links/" + id);
        assertThat(page.submit("/ui/links/" + id + "/access", Map.of("allow", "", "deny", "", "users", "alice"))
                .statusCode()).isEqualTo(302);
        assertThat(database.queryForObject("select access_basic_auth from link where id = ?", String.class, id))
                .isEqualTo(hash);

        JsonNode entry = new TestApi(port).get("/audit?limit=500").json().valueStream()
                .filter(e -> e.has("subject") && e.get("subject").asString().equals("form.acl.example.com"))
                .filter(e -> e.get("action").asString().equals("LINK_ACCESS_RULES_CHANGED")).findFirst()
                .orElseThrow();
        assertThat(entry.get("actor").asString()).isEqualTo("admin (signed in)");
        assertThat(entry.get("change").asString())
                .isEqualTo("allow: [203.0.113.0/24, 2001:db8::/32] -> []; deny: [203.0.113.9/32, 198.51.100.0/24] -> []");
    }

    @Test
    void aRefusalIsShownInWordsKeepsTheNetworksTypedAndNeverEchoesAPassword() {
        String id = new TestApi(port).createLink("refused-form.acl.example.com", "web:80").json().get("id")
                .asString();
        PageClient page = new PageClient(port).signedInAsAdmin();
        page.get("/ui/links/" + id);

        HttpResponse<String> refused = page.submit("/ui/links/" + id + "/access", Map.of("allow", "203.0.113.7/24",
                "deny", "", "users", "bob " + PASSWORD + "\nca:rol another password"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("The access rules were not changed")
                .contains("allow[0] has host bits set").contains("203.0.113.0/24")
                .contains("basicAuth[1].username").contains("role=\"alert\"")
                .contains(">203.0.113.7/24</textarea>").contains("bob\nca:rol</textarea>")
                .doesNotContain(PASSWORD).doesNotContain("another password");
        assertThat(new TestApi(port).get("/links/" + id).json().get("access").get("allow").size()).isZero();

        HttpResponse<String> forged = page.postWithoutCsrf("/ui/links/" + id + "/access",
                Map.of("deny", "0.0.0.0/0"));
        assertThat(forged.statusCode()).as("no CSRF token, no change").isEqualTo(403);
        assertThat(new TestApi(port).get("/links/" + id).json().get("access").get("deny").size()).isZero();

        page.get("/");
        assertThat(page.submit("/ui/links/no-such-link/access", Map.of("deny", "10.0.0.0/8")).statusCode())
                .isEqualTo(404);
    }
}
