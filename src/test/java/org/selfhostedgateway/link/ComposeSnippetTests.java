package org.selfhostedgateway.link;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfhostedgateway.TestApi;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user does with the snippet: paste it under services: next to their service and ask compose. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ComposeSnippetTests {

    @LocalServerPort
    int port;

    @TempDir
    Path project;

    @Test
    void thePastedSnippetMakesAComposeFileThatDockerComposeAccepts() throws Exception {
        assertComposeAccepts(new TestApi(port).createLink("nginx.compose.example.com", "nginx:80"));
    }

    @Test
    void aSnippetForAUserMadeKeyIsAcceptedOnceTheUserSuppliesTheirPrivateKey() throws Exception {
        TestApi.Reply reply = new TestApi(port).post("/links", TestApi.json("fqdn", "own.compose.example.com",
                "expose", "nginx:80", "clientPublicKey", "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08="));
        Files.writeString(project.resolve(".env"), "GATEWAY_CLIENT_WG_PRIVKEY=mIViw47RbipErVNhffJYztb1KRTtq02J2f37AjtLtnk=\n");
        assertComposeAccepts(reply);
    }

    private void assertComposeAccepts(TestApi.Reply reply) throws Exception {
        String id = reply.json().get("id").asString();
        String snippet = new TestApi(port).get("/links/" + id + "/compose").body();
        String pasted = "services:\n  nginx:\n    image: nginx:latest\n"
                + snippet.lines().map(line -> "  " + line).reduce("", (all, line) -> all + line + "\n");
        Files.writeString(project.resolve("docker-compose.yml"), pasted);

        Process compose = new ProcessBuilder("docker-compose", "config").directory(project.toFile())
                .redirectErrorStream(true).start();
        assertThat(compose.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(compose.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(compose.exitValue()).as(output).isZero();
        assertThat(output).contains("NET_ADMIN", "/dev/net/tun", reply.json().get("gatewayPublicKey").asString());
    }
}
