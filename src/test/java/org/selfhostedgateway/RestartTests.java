package org.selfhostedgateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfhostedgateway.link.LinkTestSupport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway as a user runs it: stopped and started again on the same data directory. */
class RestartTests {

    @TempDir
    Path dataDir;

    @Test
    void linksPortsKeysAndTheGeneratedTokenSurviveARestart() throws Exception {
        List<JsonNode> before = new ArrayList<>();
        String token;
        try (ConfigurableApplicationContext app = start()) {
            token = Files.readString(dataDir.resolve("api-token")).trim();
            TestApi api = new TestApi(port(app), token);
            for (String name : List.of("one", "two", "three")) {
                String id = api.createLink(name + ".restart.example.com", name + ":80").json().get("id").asString();
                before.add(api.get("/links/" + id).json());
            }
            api.post("/links", TestApi.json("fqdn", "own.restart.example.com", "expose", "own:80",
                    "clientPublicKey", "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08="));
        }

        try (ConfigurableApplicationContext app = start()) {
            assertThat(Files.readString(dataDir.resolve("api-token")).trim()).isEqualTo(token);
            TestApi api = new TestApi(port(app), token);
            for (JsonNode link : before) {
                JsonNode after = api.get("/links/" + link.get("id").asString()).json();
                assertThat(after).isEqualTo(link);
            }
            assertThat(api.get("/links").json()).hasSize(4);
        }
    }

    @Test
    void secretsAreOwnerOnlyAndPrivateKeysAreNotStoredInTheClear() throws Exception {
        String privateKey;
        try (ConfigurableApplicationContext app = start()) {
            TestApi api = new TestApi(port(app), Files.readString(dataDir.resolve("api-token")).trim());
            String compose = api.createLink("secret.restart.example.com", "app:80").json().get("compose").asString();
            privateKey = String.valueOf(LinkTestSupport.snippetEnvironment(compose).get("GATEWAY_CLIENT_WG_PRIVKEY"));
        }
        for (String secret : List.of("api-token", "encryption.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(secret))))
                    .as(secret).isEqualTo("rw-------");
        }
        byte[] database = Files.readAllBytes(dataDir.resolve("gateway.mv.db"));
        assertThat(new String(database, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(privateKey);
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
                "--gateway.data.dir=" + dataDir, "--gateway.api.token=");
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }
}
