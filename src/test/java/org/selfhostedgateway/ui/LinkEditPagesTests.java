package org.selfhostedgateway.ui;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Aliases on the create form, and the link page's edit form: the same calls, checks and audit entries as the API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LinkEditPagesTests {

    @LocalServerPort
    int port;

    @Test
    void aliasesTypedOnTheCreateFormAreStoredAsTheApiStoresThemAndShownOnTheLinkPage() {
        PageClient page = new PageClient(port).signedInAsAdmin();
        page.get("/");
        HttpResponse<String> created = page.submit("/ui/links", Map.of("fqdn", "shop.pages.example.com",
                "expose", "web:8080", "clientPublicKey", "", "aliases",
                " WWW.shop.pages.example.com, old.shop.pages.example.com "));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        String id = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/ui/links/", "");
        assertThat(aliases(new TestApi(port).get("/links/" + id).json()))
                .containsExactly("www.shop.pages.example.com", "old.shop.pages.example.com");
        assertThat(page.get("/ui/links/" + id).body()).contains("<code>www.shop.pages.example.com</code>")
                .contains("<code>old.shop.pages.example.com</code>")
                .contains("LINK_DOMAIN: shop.pages.example.com,www.shop.pages.example.com,old.shop.pages.example.com");

        assertThat(page.get("/?q=OLD.shop.pages").body()).as("found by an alias")
                .contains("/ui/links/" + id + "\"");

        page.get("/");
        HttpResponse<String> bad = page.submit("/ui/links", Map.of("fqdn", "bad.pages.example.com", "expose",
                "web:8080", "clientPublicKey", "", "aliases", "fine.pages.example.com not_a_name!"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Other host names (name 2) must be a host name such as app.example.com")
                .contains("value=\"fine.pages.example.com not_a_name!\"");
    }

    @Test
    void theEditFormChangesTheServiceAndTheAliasesAsPatchDoesAndSaysWhatTheHomeSideMustDo() {
        TestApi api = new TestApi(port);
        JsonNode link = api.post("/links", "{\"fqdn\": \"blog.pages.example.com\", \"expose\": \"blog:80\", "
                + "\"aliases\": [\"www.blog.pages.example.com\"]}").json();
        String id = link.get("id").asString();
        PageClient page = new PageClient(port).signedInAsAdmin();
        assertThat(page.get("/ui/links/" + id).body()).contains("id=\"edit-form\"").contains("value=\"blog:80\"")
                .contains(">www.blog.pages.example.com</textarea>");

        HttpResponse<String> saved = page.submit("/ui/links/" + id + "/edit", Map.of("expose", "blog:8080",
                "aliases", "www.blog.pages.example.com\r\nnews.blog.pages.example.com\r\n"));

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        assertThat(page.follow(saved).body()).contains("The home side must take the new snippet")
                .contains("EXPOSE: blog:8080");
        JsonNode edited = api.get("/links/" + id).json();
        assertThat(edited.get("expose").asString()).isEqualTo("blog:8080");
        assertThat(aliases(edited)).containsExactly("www.blog.pages.example.com", "news.blog.pages.example.com");
        for (String kept : List.of("udpPort", "gatewayPublicKey", "clientPublicKey")) {
            assertThat(edited.get(kept)).as(kept).isEqualTo(link.get(kept));
        }
        assertThat(api.get("/audit?limit=500").json().valueStream()
                .filter(entry -> entry.has("subject")
                        && entry.get("subject").asString().equals("blog.pages.example.com"))
                .filter(entry -> entry.get("action").asString().equals("LINK_EDITED"))
                .map(entry -> entry.get("actor").asString() + ": " + entry.get("change").asString()))
                .containsExactly("admin (signed in): aliases: [www.blog.pages.example.com] -> "
                                + "[www.blog.pages.example.com, news.blog.pages.example.com]",
                        "admin (signed in): expose: blog:80 -> blog:8080");

        // An empty box removes every alias.
        page.get("/ui/links/" + id);
        assertThat(page.submit("/ui/links/" + id + "/edit", Map.of("expose", "blog:8080", "aliases", ""))
                .statusCode()).isEqualTo(302);
        assertThat(api.get("/links/" + id).json().get("aliases")).isEmpty();
    }

    @Test
    void theEditFormShowsRefusalsInWordsKeepsWhatWasTypedAndChangesNothing() {
        TestApi api = new TestApi(port);
        String ownerId = api.post("/links", "{\"fqdn\": \"owner.pages.example.com\", \"expose\": \"web:80\", "
                + "\"aliases\": [\"taken.pages.example.com\"]}").json().get("id").asString();
        String id = api.createLink("edited.pages.example.com", "web:80").json().get("id").asString();
        PageClient page = new PageClient(port).signedInAsAdmin();

        page.get("/ui/links/" + id);
        HttpResponse<String> invalid = page.submit("/ui/links/" + id + "/edit",
                Map.of("expose", "web:99999", "aliases", "ok.pages.example.com bad!name"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("The service must be host:port, such as nginx:80")
                .contains("Other host names (name 2) must be a host name").contains("value=\"web:99999\"")
                .contains("ok.pages.example.com bad!name</textarea>");

        page.get("/ui/links/" + id);
        HttpResponse<String> missing = page.submit("/ui/links/" + id + "/edit", Map.of("expose", " ", "aliases", ""));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("The service is required, for example nginx:80.");

        page.get("/ui/links/" + id);
        HttpResponse<String> taken = page.submit("/ui/links/" + id + "/edit",
                Map.of("expose", "web:81", "aliases", "taken.pages.example.com"));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("role=\"alert\"").contains("taken.pages.example.com")
                .contains("already belongs to link " + ownerId).contains("an alias of owner.pages.example.com");

        JsonNode unchanged = api.get("/links/" + id).json();
        assertThat(unchanged.get("expose").asString()).isEqualTo("web:80");
        assertThat(unchanged.get("aliases")).isEmpty();

        HttpResponse<String> gone = page.submit("/ui/links/no-such-link/edit", Map.of("expose", "web:81"));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("No link has the id no-such-link");
    }

    private static List<String> aliases(JsonNode link) {
        return link.get("aliases").valueStream().map(JsonNode::asString).toList();
    }
}
