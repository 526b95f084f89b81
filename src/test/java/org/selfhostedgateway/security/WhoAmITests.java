package org.selfhostedgateway.security;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /whoami names the owner a caller's links get, so a program knows which links are its own (issue 16). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WhoAmITests {

    @LocalServerPort
    int port;

    @Test
    void aNamedTokenLearnsTheOwnerItsLinksShow() {
        TestApi admin = new TestApi(port);
        String token = admin.post("/tokens", TestApi.json("name", "whoami-agent")).json().get("token").asString();
        TestApi agent = new TestApi(port, token);

        JsonNode caller = agent.get("/whoami").json();
        String createdBy = agent.createLink("whoami.example.com", "app:80").json().get("createdBy").asString();

        assertThat(caller.get("owner").asString()).isEqualTo("token whoami-agent").isEqualTo(createdBy);
        assertThat(caller.get("admin").asBoolean()).isFalse();
        JsonNode adminCaller = admin.get("/whoami").json();
        assertThat(adminCaller.get("owner").asString()).isEqualTo("admin");
        assertThat(adminCaller.get("admin").asBoolean()).isTrue();
    }

    @Test
    void withoutAValidTokenItIsAProblem() {
        Reply anonymous = new TestApi(port, null).get("/whoami");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
    }
}
