package org.selfhostedgateway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw TCP and UDP ports of a link, through real containers: a visitor on a public port of the gateway host -> the
 * link's gateway container -> WireGuard -> the client link -> an echo service at home. One gateway for the class;
 * the tests run in order, each building on the state the previous one left. Public ports 48100-48199.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RawPortsEndToEndTests {

    private static final Duration FIRST_CERTIFICATE = Duration.ofSeconds(90);
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /** A recreated gateway-link knows no session: see DataPlaneEndToEndTests.TUNNEL_RECOVERY and the README. */
    private static final Duration TUNNEL_RECOVERY = Duration.ofSeconds(210);
    private static final int TCP_ECHO = 48100;
    private static final int UDP_ECHO = 48101;
    private static final int TCP_PROXY = 48102;
    private static final int TCP_ADDED = 48103;
    private static final int TCP_PROXY_V2 = 48104;
    private static final int UDP_RANGE = 48110;
    private static final String FQDN = "games.example.test";

    static DataPlaneFixture gateway;
    static String linkId;
    static GenericContainer<?> client;
    /** One visitor socket for the whole class: its source port stays, as a game client's does. */
    static DatagramSocket visitor;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = new DataPlaneFixture();
        gateway.startControlPlane("gateway.ports.range-max=20");
        gateway.startEchoApp("games", "hello from the games host");
        visitor = new DatagramSocket();
        visitor.setSoTimeout(1000);
    }

    @AfterAll
    static void stopGateway() {
        if (visitor != null) {
            visitor.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void tcpAndUdpEchoServicesAtHomeAnswerThroughTheGatewaysPublicPorts() throws Exception {
        TestApi api = gateway.api();
        Reply created = api.post("/links", """
                {"fqdn": "%s", "expose": "games:8000", "ports": [
                  {"protocol": "tcp", "publicPort": %d, "target": "games:7000"},
                  {"protocol": "udp", "publicPort": %d, "target": "games:9000"},
                  {"protocol": "tcp", "publicPort": %d, "target": "games:7000", "proxyProtocol": "v1"},
                  {"protocol": "udp", "publicPort": %d, "publicPortEnd": %d, "target": "games:9100"},
                  {"protocol": "tcp", "publicPort": %d, "target": "games:7000", "proxyProtocol": "v2"}]}
                """.formatted(FQDN, TCP_ECHO, UDP_ECHO, TCP_PROXY, UDP_RANGE, UDP_RANGE + 9, TCP_PROXY_V2));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        linkId = created.json().get("id").asString();
        gateway.waitForState(linkId, "ACTIVE", CONVERGE);
        assertThat(created.json().get("compose").asString())
                .contains("LINK_PORTS: tcp:48100=games:7000 udp:48101=games:9000 tcp:48102=games:7000 "
                        + "udp:48110-48119=games:9100 tcp:48104=games:7000");

        client = gateway.startClientLink(created.json().get("compose").asString());
        gateway.waitForPage(FQDN, "hello from the games host", FIRST_CERTIFICATE);

        DataPlaneFixture.waitFor(CONVERGE, "the TCP echo through port " + TCP_ECHO,
                () -> "ping".equals(tcpRoundTrip("127.0.0.1", TCP_ECHO, "ping")));
        assertThat(udpRoundTrip("127.0.0.1", UDP_ECHO, "datagram")).isEqualTo("datagram");
        JsonNode listed = api.get("/links").json().get(0);
        assertThat(listed.get("ports")).hasSize(5);
        assertThat(listed.get("ports").get(3).get("publicPortEnd").asInt()).isEqualTo(UDP_RANGE + 9);
    }

    @Test
    @Order(2)
    void everyPortOfATenPortUdpRangeReachesItsOwnPortAtHome() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(udpRoundTrip("127.0.0.1", UDP_RANGE + i, "to " + (9100 + i))).isEqualTo("to " + (9100 + i));
        }
        // The range maps port by port: the public port 48115 reaches games:9105 and no other.
        String rules = client.execInContainer("iptables", "-t", "nat", "-S", "SG_PORTS").getStdout();
        assertThat(rules).contains("--dport 48115 -j DNAT --to-destination").contains(":9105");
    }

    @Test
    @Order(3)
    void aTcpPortWithProxyProtocolTellsHomeTheVisitorsAddressFirst() throws Exception {
        // The echo service at home sends back what it got: the PROXY line comes before our own bytes.
        try (LineConnection connection = LineConnection.open("127.0.0.1", TCP_PROXY, 5000)) {
            connection.send("hello");
            assertThat(connection.in().readLine()).matches("PROXY TCP4 [0-9.]+ [0-9.]+ [0-9]+ " + TCP_PROXY);
            assertThat(connection.in().readLine()).isEqualTo("hello");
        }
    }

    @Test
    @Order(3)
    void aTcpPortWithProxyProtocolV2SendsTheBinaryHeader() throws Exception {
        try (LineConnection connection = LineConnection.open("127.0.0.1", TCP_PROXY_V2, 5000)) {
            connection.send("hello");
            byte[] header = connection.socket().getInputStream().readNBytes(28 + 6);
            // Signature, version 2 PROXY, TCP over IPv4, 12 bytes of addresses and ports, then our line.
            assertThat(java.util.Arrays.copyOf(header, 16)).isEqualTo(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                    0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C});
            assertThat(((header[26] & 0xff) << 8) | (header[27] & 0xff)).as("destination port").isEqualTo(TCP_PROXY_V2);
            assertThat(new String(header, 28, 6, StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        }
    }

    @Test
    @Order(4)
    void aTcpConnectionHeldOpenSurvivesFiftyNginxReloadsAndAnotherLinksCreateAndDelete() throws Exception {
        try (LineConnection connection = LineConnection.open("127.0.0.1", TCP_ECHO, 10_000)) {
            assertThat(connection.roundTrip("before")).isEqualTo("before");
            String other = gateway.api().createLink("other.example.test", "games:8000").json().get("id").asString();
            gateway.waitForState(other, "ACTIVE", CONVERGE);
            for (int reload = 1; reload <= 50; reload++) {
                assertThat(gateway.nginx().execInContainer("nginx", "-s", "reload").getExitCode()).isZero();
                if (reload % 10 == 0) {
                    assertThat(connection.roundTrip("after reload " + reload)).isEqualTo("after reload " + reload);
                }
            }
            assertThat(gateway.api().delete("/links/" + other).status()).isEqualTo(204);
            DataPlaneFixture.waitFor(CONVERGE, "the other link's container to go",
                    () -> gateway.linkContainer(other) == null);
            assertThat(connection.roundTrip("after the other link")).isEqualTo("after the other link");
        }
    }

    @Test
    @Order(5)
    void everyConflictIsRefusedWithAProblemThatNamesItAndNothingIsStored() {
        gateway.startContainerPublishingUdp(48150);
        TestApi api = gateway.api();
        record Refusal(String protocol, int port, Integer end, int status, String conflict) {
        }
        List<Refusal> refusals = List.of(
                new Refusal("tcp", TCP_ECHO, null, 409, "link"),
                new Refusal("udp", UDP_RANGE + 5, null, 409, "link"),
                new Refusal("udp", 48150, null, 409, "container"),
                new Refusal("udp", DataPlaneFixture.FIRST_PORT + 50, null, 409, "wireGuardRange"),
                new Refusal("tcp", 80, null, 409, "gateway"),
                new Refusal("tcp", 440, 450, 409, "gateway"),
                new Refusal("tcp", gateway.apiPort(), null, 409, "api"),
                new Refusal("udp", 48160, 48180, 400, "rangeMax"));
        int linksBefore = api.get("/links").json().size();
        for (Refusal refusal : refusals) {
            String entry = "{\"protocol\": \"%s\", \"publicPort\": %d%s, \"target\": \"games:7000\"}".formatted(
                    refusal.protocol(), refusal.port(), refusal.end() == null ? "" : ", \"publicPortEnd\": "
                            + refusal.end());
            Reply create = api.post("/links", "{\"fqdn\": \"refused.example.test\", \"expose\": \"games:8000\", "
                    + "\"ports\": [" + entry + "]}");
            assertThat(create.status()).as(create.toString()).isEqualTo(refusal.status());
            assertThat(create.header("Content-Type")).startsWith("application/problem+json");
            assertThat(create.json().get("conflict").asString()).as(create.toString()).isEqualTo(refusal.conflict());
            assertThat(create.json().get("detail").asString()).contains(String.valueOf(
                    create.json().get("port").asInt()));

            if (!"link".equals(refusal.conflict())) { // the link's own ports are no conflict for itself
                Reply change = putPorts(api, linkId, entry);
                assertThat(change.status()).as(change.toString()).isEqualTo(refusal.status());
                assertThat(change.json().get("conflict").asString()).isEqualTo(refusal.conflict());
            }
        }
        JsonNode links = api.get("/links").json();
        assertThat(links).as("no link was stored").hasSize(linksBefore);
        assertThat(api.get("/links?fqdn=refused.example.test").json()).isEmpty();
        assertThat(links.get(0).get("ports")).as("the live link kept its ports").hasSize(5);
    }

    @Test
    @Order(6)
    void deletingALinkFreesItsPortsAtOnce() {
        TestApi api = gateway.api();
        String ports = "\"ports\": [{\"protocol\": \"tcp\", \"publicPort\": 48170, \"target\": \"games:7000\"}]";
        Reply first = api.post("/links", "{\"fqdn\": \"first.example.test\", \"expose\": \"games:8000\", " + ports
                + "}");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(api.delete("/links/" + first.json().get("id").asString()).status()).isEqualTo(204);

        Reply second = api.post("/links", "{\"fqdn\": \"second.example.test\", \"expose\": \"games:8000\", "
                + ports + "}");

        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        assertThat(api.delete("/links/" + second.json().get("id").asString()).status()).isEqualTo(204);
    }

    @Test
    @Order(7)
    void udpStillAnswersAfterTheGatewayLinkContainerIsRecreated() throws Exception {
        // Through the host's address (Docker's NAT, where stale connection tracking would black-hole this source,
        // moby#8795) and through loopback (Docker's userland proxy), from the same source port before and after.
        assertThat(udpRoundTrip(gateway.hostAddress(), UDP_ECHO, "before")).isEqualTo("before");
        String before = gateway.linkContainer(linkId).getId();

        gateway.removeBehindTheGatewaysBack(linkId);

        DataPlaneFixture.waitFor(CONVERGE, "the reconciler to recreate the link's container",
                () -> gateway.linkContainer(linkId) != null && !before.equals(gateway.linkContainer(linkId).getId()));
        DataPlaneFixture.waitFor(TUNNEL_RECOVERY, "the UDP echo after the container was recreated",
                () -> "after".equals(udpRoundTrip(gateway.hostAddress(), UDP_ECHO, "after")));
        assertThat(udpRoundTrip("127.0.0.1", UDP_ECHO, "loopback")).isEqualTo("loopback");
        assertThat(tcpRoundTrip("127.0.0.1", TCP_ECHO, "tcp too")).isEqualTo("tcp too");
    }

    @Test
    @Order(8)
    void addingAPortToALiveLinkKeepsItsHttpsAndItsKeys() throws Exception {
        TestApi api = gateway.api();
        JsonNode before = api.get("/links/" + linkId).json();
        StringBuilder ports = new StringBuilder();
        before.get("ports").forEach(port -> ports.append(port).append(", "));
        ports.append("{\"protocol\": \"tcp\", \"publicPort\": ").append(TCP_ADDED)
                .append(", \"target\": \"games:7000\"}");

        Reply changed = putPorts(api, linkId, ports.toString());

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        JsonNode link = changed.json();
        assertThat(link.get("ports")).hasSize(6);
        assertThat(link.get("gatewayPublicKey").asString()).isEqualTo(before.get("gatewayPublicKey").asString());
        assertThat(link.get("udpPort").asInt()).isEqualTo(before.get("udpPort").asInt());
        assertThat(link.get("homeUpdate").asString()).contains("LINK_PORTS", "tcp:48103=games:7000");
        // The home side takes the new snippet, as the answer says: same keys, one reconnect.
        client.stop();
        client = gateway.startClientLink(link.get("compose").asString());

        gateway.waitForPage(FQDN, "hello from the games host", FIRST_CERTIFICATE);
        DataPlaneFixture.waitFor(CONVERGE, "the added TCP port",
                () -> "new".equals(tcpRoundTrip("127.0.0.1", TCP_ADDED, "new")));
        assertThat(tcpRoundTrip("127.0.0.1", TCP_ECHO, "old")).isEqualTo("old");
        assertThat(udpRoundTrip("127.0.0.1", UDP_ECHO, "udp")).isEqualTo("udp");
        assertThat(api.get("/links/" + linkId).json().get("state").asString()).isEqualTo("ACTIVE");
    }

    private static Reply putPorts(TestApi api, String id, String entries) {
        return api.put("/links/" + id + "/ports", "{\"ports\": [" + entries + "]}");
    }

    /** One line to a raw TCP port and the line that comes back, or null when nothing came. */
    private static String tcpRoundTrip(String host, int port, String line) {
        try (LineConnection connection = LineConnection.open(host, port, 3000)) {
            return connection.roundTrip(line);
        }
        catch (IOException e) {
            return null;
        }
    }

    /** A TCP connection that speaks in lines of ASCII. */
    private record LineConnection(Socket socket, BufferedReader in) implements AutoCloseable {

        static LineConnection open(String host, int port, int timeoutMillis) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                return new LineConnection(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)));
            }
            catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        void send(String line) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String roundTrip(String line) throws IOException {
            send(line);
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A datagram from the class's one visitor socket and the answer, trying a few times; null when none came. */
    private static String udpRoundTrip(String host, int port, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress target = new InetSocketAddress(host, port);
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                visitor.send(new DatagramPacket(bytes, bytes.length, target));
                DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                try {
                    while (true) {
                        visitor.receive(answer);
                        String got = new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
                        if (got.equals(text) && answer.getPort() == port) {
                            return got;
                        }
                        // an answer to an earlier attempt: keep reading
                    }
                }
                catch (SocketTimeoutException e) {
                    // lost: send again
                }
            }
            return null;
        }
        catch (IOException e) {
            return null;
        }
    }
}
