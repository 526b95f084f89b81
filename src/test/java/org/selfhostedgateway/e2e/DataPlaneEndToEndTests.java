package org.selfhostedgateway.e2e;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.e2e.DataPlaneFixture.CommandOutput;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path as a user meets it: curl -> gateway NGINX (TLS passthrough by SNI) -> the link's gateway container
 * -> WireGuard -> the client link (Caddy, a certificate from a real ACME server, Pebble) -> the app at home.
 * The tests share one gateway and run in order, each building on the state the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataPlaneEndToEndTests {

    private static final Duration FIRST_CERTIFICATE = Duration.ofSeconds(90);
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /**
     * A recreated gateway-link knows no session: the client starts a new one at its next rekey (120 s after the
     * last handshake) or, failing that, when its handshake is 180 s old. Documented in README.md.
     */
    private static final Duration TUNNEL_RECOVERY = Duration.ofSeconds(210);

    static DataPlaneFixture gateway;
    static String appA;
    static String appB;
    static GenericContainer<?> demoB;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = new DataPlaneFixture();
        gateway.startControlPlane();
        gateway.startDemoApp("app-a", "hello from app A");
        demoB = gateway.startWebSocketDemoApp("app-b", "hello from app B");
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(0)
    void aUdpPortThatAnotherContainerPublishesIsNeverHandedOut() {
        // Another service on the VPS (say a second WireGuard) already publishes the first port of the range.
        gateway.startContainerPublishingUdp(DataPlaneFixture.FIRST_PORT);

        JsonNode link = gateway.api().createLink("taken.example.test", "app-a:8000").json();

        assertThat(link.get("udpPort").asInt()).isEqualTo(DataPlaneFixture.FIRST_PORT + 1);
        gateway.waitForState(link.get("id").asString(), "ACTIVE", CONVERGE);
        assertThat(gateway.api().delete("/links/" + link.get("id").asString()).status()).isEqualTo(204);
        DataPlaneFixture.waitFor(CONVERGE, "the container of the deleted link to go",
                () -> gateway.linkContainer(link.get("id").asString()) == null);
    }

    @Test
    @Order(1)
    void aNewLinkServesItsAppOverHttpsWithACertificateCaddyObtainedThroughTheGateway() throws Exception {
        TestApi api = gateway.api();
        JsonNode link = api.createLink("a.example.test", "app-a:8000").json();
        appA = link.get("id").asString();

        gateway.waitForState(appA, "ACTIVE", CONVERGE);
        InspectContainerResponse container = gateway.linkContainer(appA);
        assertThat(container).isNotNull();
        assertThat(container.getState().getRunning()).isTrue();
        assertThat(container.getConfig().getLabels()).containsEntry("io.selfhosted-gateway.link-id", appA)
                .containsEntry("io.selfhosted-gateway.gateway", gateway.gatewayId());
        assertThat(container.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
        assertThat(container.getConfig().getEnv()).as("keys are files, never environment")
                .noneMatch(variable -> variable.contains(link.get("gatewayPublicKey").asString()))
                .noneMatch(variable -> variable.toLowerCase().contains("key="));
        assertThat(Files.readString(gateway.linksMap())).contains("\"a.example.test\" \"sg-link-" + appA + "/pp\";");

        gateway.startClientLink(api.get("/links/" + appA + "/compose").body());

        gateway.waitForPage("a.example.test", "hello from app A", FIRST_CERTIFICATE);
        CommandOutput redirect = gateway.http("a.example.test", "/some/page?x=1");
        assertThat(redirect.output()).matches("30[18] https://a\\.example\\.test/some/page\\?x=1");
    }

    @Test
    @Order(2)
    void twoLinksServeAtOnceAndDeletingOneStopsOnlyItsTraffic() {
        TestApi api = gateway.api();
        appB = api.createLink("b.example.test", "app-b:8000").json().get("id").asString();
        gateway.waitForState(appB, "ACTIVE", CONVERGE);
        gateway.startClientLink(api.get("/links/" + appB + "/compose").body());
        gateway.waitForPage("b.example.test", "hello from app B", FIRST_CERTIFICATE);
        assertThat(gateway.https("a.example.test", "/").output()).contains("hello from app A");

        assertThat(api.delete("/links/" + appA).status()).isEqualTo(204);

        DataPlaneFixture.waitFor(CONVERGE, "the container of the deleted link to go",
                () -> gateway.linkContainer(appA) == null);
        DataPlaneFixture.waitFor(CONVERGE, "a.example.test to stop answering",
                () -> gateway.https("a.example.test", "/").exitCode() != 0);
        assertThat(gateway.https("b.example.test", "/").output()).contains("hello from app B");
    }

    @Test
    @Order(3)
    void anSniThatNoLinkOwnsIsTurnedAwayAsByAServerWithoutThatName() {
        CommandOutput unknown = gateway.https("nobody.example.test", "/");
        assertThat(unknown.exitCode()).isNotZero();
        // A TLS alert (unrecognized_name), not a reset: the visitor's client says what happened.
        assertThat(unknown.output()).contains("unrecognized name").doesNotContain("hello");
        // What is not TLS at all gets an HTTP answer that says so; neither is reset or logged as an error.
        assertThat(DataPlaneFixture.curl("-sS", "-m", "5", "http://" + gateway.nginxIp() + ":443/").output())
                .contains("This port speaks HTTPS only.");
        // The internal hop of links on "visitorAddress": "NONE" (PROXY line read, not sent on) reached with a name
        // that no longer routes, as when a reload comes between the two hops: the same alert.
        CommandOutput internalHop = gateway.onNginxLoopback("curl", "-sS", "-m", "5", "-k", "--haproxy-protocol",
                "--resolve", "nobody.example.test:8444:127.0.0.1", "https://nobody.example.test:8444/");
        assertThat(internalHop.output()).contains("unrecognized name");
        assertThat(gateway.nginx().getLogs()).doesNotContain("upstream: \"unix:/run/nginx/")
                .doesNotContain("broken header");
        assertThat(gateway.http("nobody.example.test", "/").output()).startsWith("404");
    }

    @Test
    @Order(3)
    void aDownloadAndAWebSocketInFlightSurviveAHundredReloadsAndOtherLinksComingAndGoing() throws Exception {
        demoB.execInContainer("sh", "-c", "dd if=/dev/urandom of=/www/big.bin bs=1M count=32 2>/dev/null");
        String expected = demoB.execInContainer("sh", "-c", "busybox sha256sum /www/big.bin").getStdout()
                .split("\\s+")[0];
        java.nio.file.Path target = Files.createTempFile("sg-download", ".bin");
        try (EchoSocket socket = gateway.openWebSocket("b.example.test", "/chat")) {
            assertThat(socket.roundTrip("hello before the reloads", 10)).isEqualTo("hello before the reloads");
            Process download = gateway.downloadInBackground("b.example.test", "/big.bin", target, "512K");
            int reloads = 0;
            for (int i = 0; i < 100 && download.isAlive(); i++) {
                if (i % 25 == 0) {
                    // Other links come and go meanwhile, each change rewriting the map.
                    String other = gateway.api().createLink("churn" + i + ".example.test", "app-a:8000").json()
                            .get("id").asString();
                    gateway.waitForState(other, "ACTIVE", CONVERGE);
                    assertThat(gateway.api().delete("/links/" + other).status()).isEqualTo(204);
                }
                assertThat(gateway.nginx().execInContainer("nginx", "-s", "reload").getExitCode()).isZero();
                reloads++;
                // The same WebSocket connection still carries messages both ways after each reload.
                String line = "message " + i + " after reload " + reloads;
                assertThat(socket.roundTrip(line, 10)).as("echo of '%s'; %s", line, socket.closedBecause())
                        .isEqualTo(line);
                Thread.sleep(100);
            }
            assertThat(download.waitFor(240, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(download.exitValue()).as(new String(download.getInputStream().readAllBytes())).isZero();
            assertThat(reloads).as("the download outlived every reload").isEqualTo(100);
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(target));
            assertThat(java.util.HexFormat.of().formatHex(digest)).isEqualTo(expected);
            assertThat(socket.isOpen()).as("the WebSocket is still open: %s", socket.closedBecause()).isTrue();
            assertThat(socket.roundTrip("goodbye after the reloads", 10)).isEqualTo("goodbye after the reloads");
        }
        finally {
            Files.deleteIfExists(target);
        }
    }

    @Test
    @Order(3)
    void aVisitorWhoseConnectionCameJustBeforeAReloadIsServedNotReset() throws Exception {
        // Every map change reloads NGINX. A connection that a worker accepted just before, whose ClientHello comes
        // after, is finished by that worker while it drains: the visitor must get the page, not a reset.
        try (Socket visitor = new Socket()) {
            visitor.connect(new InetSocketAddress(gateway.nginxIp(), 443), 5000);
            visitor.setSoTimeout(10_000);
            DataPlaneFixture.waitFor(Duration.ofSeconds(5), "a worker to accept the visitor's connection",
                    () -> gateway.httpsAcceptQueue() == 0);

            assertThat(gateway.nginx().execInContainer("nginx", "-s", "reload").getExitCode()).isZero();
            DataPlaneFixture.waitFor(Duration.ofSeconds(5), "the worker holding the connection to drain",
                    () -> gateway.drainingNginxWorkers() > 0);

            assertThat(gateway.httpsOver(visitor, "b.example.test", "/")).startsWith("HTTP/1.1 200")
                    .contains("hello from app B");
        }
    }

    @Test
    @Order(4)
    void aLinkContainerRemovedBehindTheGatewaysBackComesBackAndServes() {
        int port = gateway.api().get("/links/" + appB).json().get("udpPort").asInt();
        gateway.removeBehindTheGatewaysBack(appB);

        DataPlaneFixture.waitFor(CONVERGE, "the reconciler to recreate the container",
                () -> gateway.linkContainer(appB) != null
                        && Boolean.TRUE.equals(gateway.linkContainer(appB).getState().getRunning()));
        assertThat(gateway.linkContainer(appB).getConfig().getLabels())
                .containsEntry("io.selfhosted-gateway.udp-port", String.valueOf(port));
        gateway.waitForPage("b.example.test", "hello from app B", TUNNEL_RECOVERY);
    }

    @Test
    @Order(5)
    void afterAControlPlaneRestartEveryLinkServesWithTheSamePortAndKeys() {
        JsonNode before = gateway.api().get("/links/" + appB).json();
        gateway.stopControlPlane();
        gateway.removeBehindTheGatewaysBack(appB); // lost while the control plane was down

        gateway.startControlPlane();

        JsonNode after = gateway.api().get("/links/" + appB).json();
        assertThat(after.get("udpPort")).isEqualTo(before.get("udpPort"));
        assertThat(after.get("gatewayPublicKey")).isEqualTo(before.get("gatewayPublicKey"));
        assertThat(after.get("compose")).isEqualTo(before.get("compose"));
        gateway.waitForState(appB, "ACTIVE", CONVERGE);
        gateway.waitForPage("b.example.test", "hello from app B", TUNNEL_RECOVERY);
    }

    @Test
    @Order(6)
    void aMapThatFailsNginxCheckLeavesThePreviousConfigServingAndTheApiSaysWhy() throws Exception {
        GenericContainer<?> nginx = gateway.nginx();
        String previousMap = Files.readString(gateway.linksMap());
        // Break NGINX's configuration test on purpose: every new map now fails `nginx -t`.
        nginx.execInContainer("sh", "-c", "cp /etc/nginx/nginx.conf /tmp/nginx.conf.good && "
                + "echo 'this is not nginx syntax' >> /etc/nginx/nginx.conf");
        try {
            String appC = gateway.api().createLink("c.example.test", "app-c:8000").json().get("id").asString();

            gateway.waitForState(appC, "FAILED", CONVERGE);
            assertThat(gateway.api().get("/links/" + appC).json().get("stateReason").asString())
                    .contains("NGINX refused the new map");
            assertThat(Files.readString(gateway.linksMap())).isEqualTo(previousMap);
            assertThat(gateway.https("b.example.test", "/").output()).contains("hello from app B");
            Thread.sleep(3000); // a reconcile pass meanwhile must not fail links that NGINX still serves
            assertThat(gateway.api().get("/links/" + appB).json().get("state").asString()).isEqualTo("ACTIVE");

            nginx.execInContainer("cp", "/tmp/nginx.conf.good", "/etc/nginx/nginx.conf");
            gateway.waitForState(appC, "ACTIVE", CONVERGE);
            assertThat(Files.readString(gateway.linksMap())).contains("c.example.test");
            assertThat(gateway.https("b.example.test", "/").output()).contains("hello from app B");
        }
        finally {
            nginx.execInContainer("sh", "-c", "test -f /tmp/nginx.conf.good && cp /tmp/nginx.conf.good "
                    + "/etc/nginx/nginx.conf");
        }
    }

    /** Set by the gateway on everything a visitor sends; a visitor's own values must never get through. */
    private static final String FORGED = "6.6.6.6";
    /** The gateway's end of every tunnel: what the home side saw of every visitor before. */
    private static final String GATEWAY_TUNNEL_ADDRESS = "10.231.0.1";

    static Visitor visitor;

    @Test
    @Order(7)
    void theServiceAtHomeSeesTheVisitorsOwnAddressWhateverTheVisitorForges() throws Exception {
        TestApi api = gateway.api();
        visitor = gateway.startVisitor();
        gateway.startVisitorEchoApp("echo");
        JsonNode link = api.createLink("v.example.test", "echo:8000").json();
        assertThat(link.get("visitorAddress").asString()).isEqualTo("PROXY_PROTOCOL");
        gateway.waitForState(link.get("id").asString(), "ACTIVE", CONVERGE);
        GenericContainer<?> client = gateway.startClientLink(
                api.get("/links/" + link.get("id").asString() + "/compose").body(),
                java.util.Map.of("LINK_ACCESS_LOG", "on"));
        gateway.waitForPage("v.example.test", "echo", FIRST_CERTIFICATE);
        String seen = "xff=" + visitor.address() + " xri=" + visitor.address();

        // HTTPS, with forged X-Forwarded-For and X-Real-IP headers: the service sees the address the gateway saw.
        CommandOutput https = visitor.https("v.example.test", "/cgi-bin/visitor",
                "-H", "X-Forwarded-For: " + FORGED, "-H", "X-Real-IP: " + FORGED);
        assertThat(https.output()).as(https.toString()).contains(seen).doesNotContain(FORGED);
        // A WebSocket upgrade carries it too.
        CommandOutput webSocket = visitor.webSocket("v.example.test", "/chat");
        assertThat(webSocket.output()).contains(seen);
        // Port 80 (the redirect to HTTPS and ACME's HTTP-01): the home side's access log names the visitor.
        assertThat(visitor.http("v.example.test", "/port-80-check", "-H", "X-Real-IP: " + FORGED,
                "-H", "X-Forwarded-For: " + FORGED).output()).isEqualTo("308");
        // A forged PROXY line is not believed: the public 443 does not read one, so no TLS session follows it, and
        // port 80 answers it as the bad request it is.
        CommandOutput proxyLine = visitor.https("v.example.test", "/cgi-bin/visitor",
                "--haproxy-protocol", "--haproxy-clientip", FORGED);
        assertThat(proxyLine.exitCode()).as(proxyLine.output()).isNotZero();
        assertThat(proxyLine.output()).doesNotContain("xff=");
        assertThat(visitor.http("v.example.test", "/proxy-line-80", "--haproxy-protocol", "--haproxy-clientip",
                FORGED).output()).isEqualTo("400");

        DataPlaneFixture.waitFor(Duration.ofSeconds(10), "the home side's access log of port 80",
                () -> client.getLogs().contains("/port-80-check"));
        java.util.List<String> accessLog = client.getLogs().lines()
                .filter(line -> line.contains("\"remote_ip\"")).toList();
        assertThat(accessLog).filteredOn(line -> line.contains("\"uri\":\"/port-80-check\""))
                .singleElement().asString().contains("\"remote_ip\":\"" + visitor.address() + "\"");
        assertThat(accessLog).filteredOn(line -> line.contains("\"uri\":\"/cgi-bin/visitor\""))
                .isNotEmpty().allSatisfy(line -> assertThat(line)
                        .contains("\"remote_ip\":\"" + visitor.address() + "\""));
        assertThat(accessLog).noneMatch(line -> line.contains("\"remote_ip\":\"" + FORGED + "\""))
                .noneMatch(line -> line.contains("/proxy-line-80"));
    }

    @Test
    @Order(8)
    void aLinkMadeBeforeTheUpgradeKeepsServingWithItsSnippetAndMovesOverWithItsNewOne() {
        TestApi api = gateway.api();
        // As a link stored before the upgrade is (V7 makes them NONE): its snippet has no GATEWAY_PROXY_PROTOCOL.
        JsonNode link = api.post("/links", TestApi.json("fqdn", "old.example.test", "expose", "echo:8000",
                "visitorAddress", "NONE")).json();
        String id = link.get("id").asString();
        String oldSnippet = link.get("compose").asString();
        assertThat(oldSnippet).doesNotContain("GATEWAY_PROXY_PROTOCOL");
        gateway.waitForState(id, "ACTIVE", CONVERGE);
        GenericContainer<?> oldClient = gateway.startClientLink(oldSnippet);
        gateway.waitForPage("old.example.test", "echo", FIRST_CERTIFICATE);

        // It serves as it did: the home side sees the gateway's tunnel address, and no forged X-Real-IP.
        assertThat(visitor.https("old.example.test", "/cgi-bin/visitor", "-H", "X-Real-IP: " + FORGED).output())
                .contains("xff=" + GATEWAY_TUNNEL_ADDRESS + " xri=" + GATEWAY_TUNNEL_ADDRESS);
        assertThat(visitor.webSocket("old.example.test", "/chat").output())
                .contains("xff=" + GATEWAY_TUNNEL_ADDRESS);
        assertThat(visitor.http("old.example.test", "/").output()).isEqualTo("308");

        // Moved over: the same keys and port, the new snippet at home.
        JsonNode moved = api.patch("/links/" + id, TestApi.json("visitorAddress", "PROXY_PROTOCOL")).json();
        assertThat(moved.get("gatewayPublicKey")).isEqualTo(link.get("gatewayPublicKey"));
        oldClient.stop();
        gateway.startClientLink(moved.get("compose").asString());
        DataPlaneFixture.waitFor(FIRST_CERTIFICATE, "the moved link to show the visitor's address",
                () -> visitor.https("old.example.test", "/cgi-bin/visitor").output()
                        .contains("xff=" + visitor.address() + " xri=" + visitor.address()));
        assertThat(gateway.https("v.example.test", "/cgi-bin/visitor").exitCode()).isZero();
    }
}
