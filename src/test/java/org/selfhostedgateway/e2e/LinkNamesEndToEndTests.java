package org.selfhostedgateway.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.e2e.DataPlaneFixture.CommandOutput;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several names per link and a link edited in place, through real containers: each name gets its own certificate
 * from Pebble at home, an alias added later serves once the home side takes the new snippet, and an edit never
 * disturbs another link's traffic nor restarts the edited link's gateway side. The tests run in order, each building
 * on the state the previous one left.
 */
@ExtendWith(SharedGateway.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinkNamesEndToEndTests {

    private static final Duration FIRST_CERTIFICATE = Duration.ofSeconds(120);
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final String MAIN = "names-app.example.test";
    private static final String WWW = "www.names-app.example.test";
    private static final String LATER = "later.names-app.example.test";
    private static final String BIG = "names-big.example.test";

    static DataPlaneFixture gateway;
    static String linkId;
    static GenericContainer<?> client;
    static GenericContainer<?> bigApp;

    @BeforeAll
    static void gateway(DataPlaneFixture shared) throws Exception {
        gateway = shared;
        gateway.startDemoApp("names-app", "hello from the names app");
        gateway.startDemoApp("names-other", "hello from the other names app");
        bigApp = gateway.startDemoApp("names-big", "hello from the big names app");
    }

    @Test
    @Order(1)
    void aLinkServesHttpsOnItsMainNameAndOnItsAliasEachWithItsOwnCertificate() {
        Reply created = gateway.api().post("/links", "{\"fqdn\": \"" + MAIN + "\", \"expose\": \"names-app:8000\", "
                + "\"aliases\": [\"" + WWW + "\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        linkId = created.json().get("id").asString();
        gateway.waitForState(linkId, "ACTIVE", CONVERGE);
        assertThat(mapLines()).contains("\"" + MAIN + "\" \"sg-link-" + linkId + "/pp\";",
                "\"" + WWW + "\" \"sg-link-" + linkId + "/pp\";");

        client = gateway.startClientLink(gateway.api().get("/links/" + linkId + "/compose").body());

        gateway.waitForPage(MAIN, "hello from the names app", FIRST_CERTIFICATE);
        gateway.waitForPage(WWW, "hello from the names app", FIRST_CERTIFICATE);
        assertThat(certificateNames(MAIN)).containsExactly(MAIN);
        assertThat(certificateNames(WWW)).as("the alias's own certificate, not the main name's").containsExactly(WWW);
    }

    @Test
    @Order(2)
    void anAliasAddedLaterServesOnceTheHomeSideTakesTheNewSnippetAndTheGatewaySideIsNotRestarted() {
        InspectContainerResponse before = gateway.linkContainer(linkId);

        Reply edited = gateway.api().patch("/links/" + linkId, "{\"aliases\": [\"" + WWW + "\", \"" + LATER + "\"]}");

        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().get("homeUpdate").asString()).contains("must take the new snippet")
                .contains("LINK_DOMAIN to '" + MAIN + "," + WWW + "," + LATER + "'");
        DataPlaneFixture.waitFor(CONVERGE, "the map to route " + LATER,
                () -> mapLines().contains("\"" + LATER + "\" \"sg-link-" + linkId + "/pp\";"));
        // The old home side still serves the names it has certificates for.
        assertThat(gateway.https(WWW, "/").output()).contains("hello from the names app");

        client = takeNewSnippet(edited.json());

        gateway.waitForPage(LATER, "hello from the names app", FIRST_CERTIFICATE);
        assertThat(certificateNames(LATER)).containsExactly(LATER);
        gateway.waitForPage(MAIN, "hello from the names app", FIRST_CERTIFICATE);
        assertSameGatewaySide(before);
    }

    @Test
    @Order(3)
    void anEditOfOneLinkLeavesADownloadOnAnotherIntactAndTheEditedLinkServesItsNewAppOnceHomeTakesIt()
            throws Exception {
        String bigId = gateway.api().createLink(BIG, "names-big:8000").json().get("id").asString();
        gateway.waitForState(bigId, "ACTIVE", CONVERGE);
        gateway.startClientLink(gateway.api().get("/links/" + bigId + "/compose").body());
        gateway.waitForPage(BIG, "hello from the big names app", FIRST_CERTIFICATE);
        bigApp.execInContainer("sh", "-c", "dd if=/dev/urandom of=/www/big.bin bs=1M count=24 2>/dev/null");
        String expected = bigApp.execInContainer("sh", "-c", "busybox sha256sum /www/big.bin").getStdout()
                .split("\\s+")[0];
        InspectContainerResponse before = gateway.linkContainer(linkId);
        Path target = Files.createTempFile("sg-names-download", ".bin");
        try {
            // About 48 s at this rate: long enough for the edit to land while it runs, even on a busy host.
            Process download = gateway.downloadInBackground(BIG, "/big.bin", target, "512K");
            DataPlaneFixture.waitFor(CONVERGE, "the download to start", () -> target.toFile().length() > 0);

            // Another service at home, and one name fewer: the gateway re-publishes its map (a reload) meanwhile.
            Reply edited = gateway.api().patch("/links/" + linkId, "{\"expose\": \"names-other:8000\", "
                    + "\"aliases\": [\"" + WWW + "\"]}");
            assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
            assertThat(edited.json().get("homeUpdate").asString()).contains("EXPOSE to 'names-other:8000'");
            DataPlaneFixture.waitFor(CONVERGE, "the map to stop routing " + LATER,
                    () -> !mapLines().contains("\"" + LATER + "\" \"sg-link-" + linkId + "/pp\";"));
            assertThat(download.isAlive()).as("the edit landed while the download ran").isTrue();
            // Until the home side takes the new snippet, the edited link still serves the previous app.
            assertThat(gateway.https(MAIN, "/").output()).contains("hello from the names app");

            client = takeNewSnippet(edited.json());

            assertThat(download.waitFor(240, TimeUnit.SECONDS)).isTrue();
            assertThat(download.exitValue()).as(new String(download.getInputStream().readAllBytes())).isZero();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(target));
            assertThat(HexFormat.of().formatHex(digest)).as("the download is whole and byte-exact")
                    .isEqualTo(expected);
        }
        finally {
            Files.deleteIfExists(target);
        }
        gateway.waitForPage(MAIN, "hello from the other names app", FIRST_CERTIFICATE);
        gateway.waitForPage(WWW, "hello from the other names app", FIRST_CERTIFICATE);
        assertSameGatewaySide(before);
    }

    /** What a user does at home: replace the client-link service with the snippet in the answer. */
    private static GenericContainer<?> takeNewSnippet(JsonNode link) {
        client.stop();
        return gateway.startClientLink(link.get("compose").asString());
    }

    /** An edit re-publishes the map only: the link's gateway container is the same one, never restarted. */
    private static void assertSameGatewaySide(InspectContainerResponse before) {
        InspectContainerResponse now = gateway.linkContainer(linkId);
        assertThat(now.getId()).isEqualTo(before.getId());
        assertThat(now.getState().getStartedAt()).isEqualTo(before.getState().getStartedAt());
        assertThat(now.getRestartCount()).isEqualTo(before.getRestartCount());
    }

    private static List<String> mapLines() {
        try {
            return Files.readAllLines(gateway.linksMap());
        }
        catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** The DNS names in the certificate that the gateway serves for this SNI (TLS passthrough: the home side's). */
    private static List<String> certificateNames(String name) {
        CommandOutput names = DataPlaneFixture.run(Duration.ofSeconds(30), List.of("sh", "-c",
                "openssl s_client -connect " + gateway.nginxIp() + ":443 -servername " + name
                        + " </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName"));
        assertThat(names.exitCode()).as(names.output()).isZero();
        return names.output().lines().map(String::strip).filter(line -> line.startsWith("DNS:"))
                .flatMap(line -> java.util.Arrays.stream(line.split(",\\s*"))).map(entry -> entry.substring(4))
                .toList();
    }
}
