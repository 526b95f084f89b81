package org.selfhostedgateway.link;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.ui.PageClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The note a link's manager (the home agent) leaves on it for everyone who reads the link. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LinkNoticeApiTests {

    @LocalServerPort
    int port;

    TestApi admin() {
        return new TestApi(port);
    }

    @Test
    void theTokenThatMadeALinkPutsANoteOnItThatEveryReaderSeesUntilItIsCleared() {
        TestApi agent = new TestApi(port, token("notice-agent"));
        String id = agent.createLink("noticed.example.com", "app:80").json().get("id").asString();
        assertThat(admin().get("/links/" + id).json().has("notice")).as("nothing to say yet").isFalse();

        Reply noted = agent.put("/links/" + id + "/notice", TestApi.json("notice",
                "The home agent refuses the labels of container app: selfhosted-gateway.port=0 is not a port"));

        assertThat(noted.status()).as(noted.body()).isEqualTo(200);
        assertThat(noted.json().get("notice").asString()).contains("selfhosted-gateway.port=0");
        assertThat(noted.json().has("compose")).as("no snippet, so no key read for a note").isFalse();
        assertThat(admin().get("/links/" + id).json().get("notice").asString()).contains("refuses the labels");
        assertThat(admin().get("/links?fqdn=noticed.example.com").json().get(0).get("notice").asString())
                .contains("refuses the labels");
        assertThat(admin().get("/links/" + id).json().get("state").asString())
                .as("the link itself is as it was").isIn("PROVISIONING", "ACTIVE", "FAILED");
        PageClient page = new PageClient(port).signedInAsAdmin();
        assertThat(page.get("/ui/links/" + id).body()).as("the link's page").contains("id=\"notice\"")
                .contains("selfhosted-gateway.port=0 is not a port");
        assertThat(page.get("/?q=noticed.example.com").body()).as("the list").contains("Notice: The home agent");

        Reply cleared = agent.put("/links/" + id + "/notice", "{}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().has("notice")).isFalse();
        assertThat(page.get("/ui/links/" + id).body()).doesNotContain("id=\"notice\"");
        assertThat(agent.put("/links/" + id + "/notice", TestApi.json("notice", "  ")).json().has("notice"))
                .as("blank is cleared too").isFalse();
    }

    @Test
    void onlyTheAdminAndTheTokenThatMadeTheLinkMaySpeakForIt() {
        String id = new TestApi(port, token("notice-maker")).createLink("spoken-for.example.com", "app:80").json()
                .get("id").asString();

        Reply other = new TestApi(port, token("notice-other")).put("/links/" + id + "/notice",
                TestApi.json("notice", "not mine to say"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(other.json().get("detail").asString()).contains("token that created link " + id);
        assertThat(admin().get("/links/" + id).json().has("notice")).isFalse();

        assertThat(admin().put("/links/" + id + "/notice", TestApi.json("notice", "maintenance tonight")).json()
                .get("notice").asString()).isEqualTo("maintenance tonight");
    }

    @Test
    void aNoteTooLongOrForNoLinkIsAProblemThatSaysWhy() {
        String id = admin().createLink("long-note.example.com", "app:80").json().get("id").asString();

        Reply tooLong = admin().put("/links/" + id + "/notice", TestApi.json("notice", "x".repeat(2001)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("notice").contains("2000");
        assertThat(admin().put("/links/" + UUID.randomUUID() + "/notice", TestApi.json("notice", "hi")).status())
                .isEqualTo(404);
    }

    private String token(String name) {
        Reply token = admin().post("/tokens", TestApi.json("name", name));
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        return token.json().get("token").asString();
    }
}
