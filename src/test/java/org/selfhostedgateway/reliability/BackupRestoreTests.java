package org.selfhostedgateway.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfhostedgateway.GatewayApplication;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.keys.WireGuardKeys;
import org.selfhostedgateway.link.LinkDeployment;
import org.selfhostedgateway.link.DataPlaneLinks;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup README.md describes: stop the control plane, copy its data directory (the H2 file, encryption.key,
 * api-token), start it on the copy elsewhere. The copy brings back the same links: ids, ports, keys, snippets.
 */
class BackupRestoreTests {

    @TempDir
    Path original;

    @TempDir
    Path restored;

    @Test
    void aStoppedGatewaysDataDirectoryCopiedElsewhereBringsBackTheSameLinksPortsAndKeys() throws Exception {
        List<JsonNode> before = new ArrayList<>();
        try (ConfigurableApplicationContext app = start(original)) {
            TestApi api = api(app);
            for (String name : List.of("one", "two", "three")) {
                before.add(api.createLink(name + ".backup.example.test", name + ":80").json());
            }
            before.add(api.post("/links", TestApi.json("fqdn", "own.backup.example.test", "expose", "own:80",
                    "clientPublicKey", "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=")).json());
        }

        copyDirectory(original, restored);
        deleteDirectory(original); // the old VPS is gone

        try (ConfigurableApplicationContext app = start(restored)) {
            TestApi api = api(app);
            assertThat(api.get("/links").json()).hasSize(before.size());
            for (JsonNode link : before) {
                JsonNode after = api.get("/links/" + link.get("id").asString()).json();
                for (String field : List.of("id", "fqdn", "expose", "udpPort", "gatewayPublicKey", "clientPublicKey",
                        "createdAt", "compose")) {
                    assertThat(after.get(field)).as(field).isEqualTo(link.get(field));
                }
            }
            // The gateway's private keys are readable with the restored encryption.key and match the public halves.
            WireGuardKeys keys = app.getBean(WireGuardKeys.class);
            for (LinkDeployment deployment : app.getBean(DataPlaneLinks.class).deployments()) {
                JsonNode link = before.stream().filter(l -> l.get("id").asString().equals(deployment.linkId()))
                        .findFirst().orElseThrow();
                assertThat(keys.publicKeyOf(deployment.gatewayPrivateKey()))
                        .isEqualTo(link.get("gatewayPublicKey").asString());
            }
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
                "--gateway.data.dir=" + dataDir, "--gateway.api.token=" + GatewayFixture.TOKEN);
    }

    private static TestApi api(ConfigurableApplicationContext app) {
        return new TestApi(((WebServerApplicationContext) app).getWebServer().getPort(), GatewayFixture.TOKEN);
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.createDirectories(dir);
    }
}
