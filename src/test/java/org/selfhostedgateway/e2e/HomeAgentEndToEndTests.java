package org.selfhostedgateway.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.selfhostedgateway.BenchmarkRows;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.agent.HomeAgent;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 as a user meets it: containers with {@code selfhosted-gateway.*} labels on a home network, the home agent
 * (with a named token of its own) and a real gateway with Pebble on one engine. No snippet is pasted and no link
 * made by hand: the agent makes them and runs their client-links. The tests share the gateway and run in order.
 * The agent runs in this JVM, as its image runs it; {@code HomeAgentImageIT} runs the image itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeAgentEndToEndTests {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final String OWNER = "token home-agent";

    /** A raw TCP port on the gateway, outside every other test's ports. */
    private static final int RAW_TCP = 48195;

    static DataPlaneFixture gateway;
    static HomeSide home;
    static int apiPort;
    static Map<String, String> agentEnvironment;
    static HomeAgent agent;
    static final List<HomeSide.Timing> timings = new ArrayList<>();

    @BeforeAll
    static void gatewayAndAgent() throws Exception {
        gateway = new DataPlaneFixture();
        home = new HomeSide(gateway);
        apiPort = freePort();
        // A fixed port: the agent must find the gateway at the same address after the gateway restarts.
        gateway.startControlPlane("server.port=" + apiPort);
        agentEnvironment = Map.of(
                "AGENT_GATEWAY_URL", "http://127.0.0.1:" + apiPort,
                "AGENT_TOKEN", agentToken(gateway),
                "AGENT_ID", home.agentId(),
                "AGENT_RESYNC_SECONDS", "5",
                "AGENT_HEALTH_ADDRESS", "127.0.0.1",
                "AGENT_HEALTH_PORT", "0",
                // Only what a test CA needs, as a user would set Let's Encrypt's staging directory.
                "ACME_CA", "https://pebble:14000/dir",
                "ACME_CA_ROOT", gateway.pebbleTlsRoot().toString(),
                "ACME_EMAIL", "admin@example.test");
        agent = HomeAgent.start(agentEnvironment);
    }

    /** The named token the README tells a user to create for the agent. */
    static String agentToken(DataPlaneFixture gateway) {
        TestApi.Reply token = gateway.api().post("/tokens", TestApi.json("name", "home-agent"));
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        return token.json().get("token").asString();
    }

    @AfterAll
    static void removeEverything() throws IOException {
        if (agent != null) {
            agent.close();
        }
        if (home != null && DockerClientFactory.instance().isDockerAvailable()) {
            home.removeEverything();
        }
        if (gateway != null) {
            gateway.close();
        }
        String results = System.getProperty("sg.bench.agentResults");
        if (results != null && !timings.isEmpty()) {
            writeResults(Path.of(results));
        }
    }

    @Test
    @Order(1)
    void aLabelledContainerIsServedOverHttpsWithoutAnyManualStep() {
        timeFirstHttps("web", "web.example.test", "hello from the labelled web app");

        JsonNode link = home.onlyLink("web.example.test");
        assertThat(link.get("createdBy").asString()).as("the owner the page and GET /links show").isEqualTo(OWNER);
        assertThat(link.get("expose").asString()).as("the only port the image exposes").isEqualTo(
                home.containerName("web") + ":8000");
        List<Container> clients = home.clientLinksFor("web.example.test");
        assertThat(clients).hasSize(1);
        assertThat(clients.get(0).getLabels()).containsEntry("io.selfhosted-gateway.agent.link-id",
                link.get("id").asString());
        assertThat(DockerClientFactory.instance().client().inspectContainerCmd(clients.get(0).getId()).exec()
                .getConfig().getEnv())
                .as("the private key is a root-only file in the container, not in its environment")
                .noneMatch(variable -> variable.startsWith("GATEWAY_CLIENT_WG_PRIVKEY="));
        JsonNode health = health();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("owner").asString()).isEqualTo(OWNER);
        assertThat(HomeSide.record(health, home.containerName("web")).get("status").asString()).isEqualTo("LINKED");
    }

    @Test
    @Order(2)
    void badLabelsAreRefusedWithTheirReasonAndNothingIsMadeForThem() {
        home.runLabelled("badport", "bad port", Map.of("selfhosted-gateway.fqdn", "badport.example.test",
                "selfhosted-gateway.port", "70000"));
        home.runLabelled("badname", "bad name", Map.of("selfhosted-gateway.fqdn", "under_score.example.test"));

        DataPlaneFixture.waitFor(CONVERGE, "the agent to refuse both", () -> record("badport") != null
                && record("badname") != null);
        assertThat(record("badport").get("status").asString()).isEqualTo("REFUSED");
        assertThat(record("badport").get("reason").asString())
                .contains("selfhosted-gateway.port=70000 is not a port from 1 to 65535");
        assertThat(record("badname").get("reason").asString())
                .as("the gateway's own words").contains("the gateway refused it").contains("fqdn");
        assertThat(health().get("status").asString()).as("refused labels do not make the agent unhealthy")
                .isEqualTo("UP");
        assertThat(home.links("badport.example.test")).isEmpty();
        assertThat(home.links("under_score.example.test")).isEmpty();
        assertThat(home.clientLinksFor("badport.example.test")).isEmpty();
        assertThat(https("web.example.test")).as("the other link serves on").contains("hello from the labelled");
        home.removeLabelled("badport");
        home.removeLabelled("badname");
    }

    @Test
    @Order(3)
    void aLinkMadeByHandIsNeverTouched() {
        JsonNode byHand = gateway.api().createLink("hand.example.test", "somewhere:80").json();
        home.runLabelled("claims-hand", "wants the hand-made name",
                Map.of("selfhosted-gateway.fqdn", "hand.example.test"));

        DataPlaneFixture.waitFor(CONVERGE, "the agent to refuse a name someone else owns",
                () -> record("claims-hand") != null);
        assertThat(record("claims-hand").get("reason").asString()).contains("made by admin")
                .contains("leaves it alone");
        home.removeLabelled("claims-hand");
        waitForPasses(2);

        JsonNode after = home.onlyLink("hand.example.test");
        assertThat(after.get("id").asString()).isEqualTo(byHand.get("id").asString());
        assertThat(after.get("expose").asString()).isEqualTo("somewhere:80");
        assertThat(home.clientLinksFor("hand.example.test")).as("no client-link for a link the agent did not make")
                .isEmpty();
    }

    @Test
    @Order(4)
    void recreatingTheContainerWithOtherLabelsUpdatesTheLinkInPlace() {
        JsonNode before = home.onlyLink("web.example.test");
        home.removeLabelled("web");
        home.runLabelled("web", "hello from the web app on its new port", Map.of(
                "selfhosted-gateway.fqdn", "web.example.test", "selfhosted-gateway.port", "8080",
                "selfhosted-gateway.aliases", "www.web.example.test"), 8080);

        gateway.waitForPage("web.example.test", "hello from the web app on its new port", HomeSide.FIRST_HTTPS);
        gateway.waitForPage("www.web.example.test", "hello from the web app on its new port", HomeSide.FIRST_HTTPS);
        JsonNode link = home.onlyLink("web.example.test");
        assertThat(link.get("expose").asString()).isEqualTo(home.containerName("web") + ":8080");
        assertThat(link.get("aliases").valueStream().map(JsonNode::asString)).containsExactly("www.web.example.test");
        assertThat(link.get("id").asString()).as("the same link, edited: same keys, same WireGuard port")
                .isEqualTo(before.get("id").asString());
        assertThat(link.get("udpPort")).isEqualTo(before.get("udpPort"));
        assertThat(link.get("clientPublicKey")).isEqualTo(before.get("clientPublicKey"));
        assertThat(home.clientLinksFor("web.example.test")).hasSize(1);
    }

    @Test
    @Order(5)
    void aTypoInTheLabelsOfALinkedContainerKeepsItsLinkAsItIsAndSaysWhy() {
        String link = home.onlyLink("web.example.test").get("id").asString();
        Map<String, String> clients = home.clientIdsByFqdn();
        home.removeLabelled("web");
        home.runLabelled("web", "hello from the web app on its new port", Map.of(
                "selfhosted-gateway.fqdn", "web.example.test", "selfhosted-gateway.port", "80800"), 8080);

        DataPlaneFixture.waitFor(CONVERGE, "the agent to refuse the new labels",
                () -> record("web") != null && "REFUSED".equals(record("web").get("status").asString()));
        waitForPasses(1);
        assertThat(record("web").get("reason").asString()).contains("80800");
        assertThat(home.onlyLink("web.example.test").get("id").asString()).isEqualTo(link);
        assertThat(home.clientIdsByFqdn()).isEqualTo(clients);
        assertThat(https("web.example.test")).contains("hello from the web app on its new port");
        DataPlaneFixture.waitFor(CONVERGE, "the reason to show on the link itself",
                () -> home.onlyLink("web.example.test").has("notice"));
        assertThat(home.onlyLink("web.example.test").get("notice").asString())
                .as("what GET /links and the page show to whoever looks at the link")
                .contains(home.containerName("web")).contains("selfhosted-gateway.port=80800")
                .contains("stays as it was");
    }

    @Test
    @Order(6)
    void fixedLabelsWithARawPortKeepTheLinkClearItsNoticeAndServeThePort() {
        String link = home.onlyLink("web.example.test").get("id").asString();
        String udpPort = home.onlyLink("web.example.test").get("udpPort").asString();
        home.removeLabelled("web");
        home.runLabelled("web", "hello over a raw port", Map.of("selfhosted-gateway.fqdn", "web.example.test",
                "selfhosted-gateway.port", "8080", "selfhosted-gateway.ports", "tcp:" + RAW_TCP + "=8080"), 8080);

        DataPlaneFixture.waitFor(CONVERGE, "the link to get the raw port and lose its notice", () -> {
            JsonNode now = home.onlyLink("web.example.test");
            return !now.has("notice") && now.get("ports").size() == 1;
        });
        JsonNode now = home.onlyLink("web.example.test");
        assertThat(now.get("id").asString()).as("the same link: same keys, nothing to paste").isEqualTo(link);
        assertThat(now.get("udpPort").asString()).isEqualTo(udpPort);
        assertThat(now.get("ports").get(0).get("target").asString()).isEqualTo(home.containerName("web") + ":8080");
        DataPlaneFixture.waitFor(HomeSide.FIRST_HTTPS, "plain HTTP through the raw port",
                () -> rawHttp(RAW_TCP).contains("hello over a raw port"));
        // The new client-link's Caddy may still be loading its certificate when the raw port already answers.
        gateway.waitForPage("web.example.test", "hello over a raw port", HomeSide.FIRST_HTTPS);
        assertThat(record("web").get("status").asString()).isEqualTo("LINKED");
        assertThat(home.clientLinksFor("web.example.test")).hasSize(1);

        home.removeLabelled("web");
        home.runLabelled("web", "hello over a raw port", Map.of("selfhosted-gateway.fqdn", "web.example.test",
                "selfhosted-gateway.port", "8080", "selfhosted-gateway.ports", "tcp:" + RAW_TCP + "=80800"), 8080);
        DataPlaneFixture.waitFor(CONVERGE, "a bad ports label to be refused, on the link too",
                () -> home.onlyLink("web.example.test").has("notice"));
        assertThat(home.onlyLink("web.example.test").get("notice").asString())
                .contains("'tcp:" + RAW_TCP + "=80800' names port 80800");
        assertThat(rawHttp(RAW_TCP)).as("the port keeps serving as it was").contains("hello over a raw port");
    }

    @Test
    @Order(7)
    void accessLabelsSetTheLinksRulesAndHomeAsksForThePassword() {
        String link = home.onlyLink("web.example.test").get("id").asString();
        String hash = new BCryptPasswordEncoder(5).encode("alice's long password").replace("$2a$", "$2y$");
        home.removeLabelled("web");
        home.runLabelled("web", "hello over a raw port", Map.of("selfhosted-gateway.fqdn", "web.example.test",
                "selfhosted-gateway.port", "8080", "selfhosted-gateway.ports", "tcp:" + RAW_TCP + "=8080",
                "selfhosted-gateway.deny", "192.0.2.0/24", "selfhosted-gateway.basic-auth", "alice:" + hash), 8080);

        DataPlaneFixture.waitFor(HomeSide.FIRST_HTTPS, "home to ask for a password",
                () -> "401".equals(status("web.example.test")));
        assertThat(status("web.example.test", "-u", "alice:alice's long password")).isEqualTo("200");
        assertThat(status("web.example.test", "-u", "alice:wrong password")).isEqualTo("401");
        JsonNode now = home.onlyLink("web.example.test");
        assertThat(now.get("id").asString()).isEqualTo(link);
        assertThat(now.has("notice")).as("the labels are fine again").isFalse();
        assertThat(now.get("access").get("deny").valueStream().map(JsonNode::asString)).containsExactly("192.0.2.0/24");
        assertThat(now.get("access").get("basicAuthUsers").valueStream().map(JsonNode::asString))
                .containsExactly("alice");
        assertThat(now.toString()).as("no hash in what the gateway shows").doesNotContain(hash);
        assertThat(home.clientLinksFor("web.example.test")).hasSize(1);
    }

    @Test
    @Order(8)
    void removingTheContainerDeletesItsLinkAndItsClientLink() {
        home.removeLabelled("web");

        DataPlaneFixture.waitFor(CONVERGE, "the link and the client-link of web.example.test to go",
                () -> home.links("web.example.test").isEmpty() && home.clientLinksFor("web.example.test").isEmpty());
        DataPlaneFixture.waitFor(CONVERGE, "web.example.test to stop answering",
                () -> gateway.https("web.example.test", "/").exitCode() != 0);
        assertThat(home.links("hand.example.test")).as("the hand-made link stays").hasSize(1);
    }

    @Test
    @Order(9)
    void anAgentRestartAndAGatewayRestartLeaveExactlyOneLinkAndOneClientLinkPerLabelledContainer() throws Exception {
        timeFirstHttps("one", "one.example.test", "hello from one");
        timeFirstHttps("two", "two.example.test", "hello from two");
        Map<String, String> linkIds = home.linkIdsByFqdn();
        Map<String, String> clientIds = home.clientIdsByFqdn();

        agent.close();
        agent = HomeAgent.start(agentEnvironment);
        waitForPasses(1);

        assertThat(home.linkIdsByFqdn()).as("the same links, none added").isEqualTo(linkIds);
        assertThat(home.clientIdsByFqdn()).as("the same client-links, none recreated").isEqualTo(clientIds);

        gateway.stopControlPlane();
        home.removeLabelled("two"); // while the gateway is away: the agent retries, then catches up
        DataPlaneFixture.waitFor(CONVERGE, "the agent to notice the gateway is away",
                () -> "DOWN".equals(health().get("status").asString()));
        gateway.startControlPlane("server.port=" + apiPort);

        DataPlaneFixture.waitFor(CONVERGE, "the agent to catch up: two.example.test's link and client-link gone",
                () -> home.links("two.example.test").isEmpty() && home.clientLinksFor("two.example.test").isEmpty());
        waitForPasses(1);
        assertThat(home.linkIdsByFqdn()).containsOnlyKeys("one.example.test", "hand.example.test")
                .containsEntry("one.example.test", linkIds.get("one.example.test"));
        assertThat(home.clientIdsByFqdn()).containsExactlyEntriesOf(
                Map.of("one.example.test", clientIds.get("one.example.test")));
        assertThat(https("one.example.test")).contains("hello from one");
        assertThat(health().get("status").asString()).isEqualTo("UP");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static void timeFirstHttps(String name, String fqdn, String page) {
        HomeSide.Timing timing = home.runAndTimeFirstHttps(name, fqdn, page);
        timings.add(timing);
        System.out.printf("BENCH docker run of a labelled container -> client-link %.2f s, first HTTPS 200 %.2f s"
                + " (%s)%n", timing.clientLinkSeconds(), timing.httpsSeconds(), fqdn);
        BenchmarkRows.record("agent_run_to_https_s", String.format("%.2f", timing.httpsSeconds()));
    }

    /** GET / as plain HTTP/1.0 through a raw TCP port of the gateway; empty when nothing answers. */
    private static String rawHttp(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException notYet) {
            return "";
        }
    }

    /** The HTTP status of GET / over HTTPS through the gateway. */
    private static String status(String fqdn, String... curlOptions) {
        List<String> options = new ArrayList<>(List.of("-o", "/dev/null", "-w", "%{http_code}"));
        options.addAll(List.of(curlOptions));
        return gateway.https(fqdn, "/", options.toArray(String[]::new)).output().strip();
    }

    private static String https(String fqdn) {
        return gateway.https(fqdn, "/").output();
    }

    private static JsonNode health() {
        return HomeSide.health(URI.create("http://127.0.0.1:" + agent.healthPort() + "/health"));
    }

    private static JsonNode record(String name) {
        return HomeSide.record(health(), home.containerName(name));
    }

    /** Waits until the agent finished this many more passes, each successful. */
    private static void waitForPasses(int passes) {
        for (int i = 0; i < passes; i++) {
            String before = health().get("lastPassAt").asString("");
            DataPlaneFixture.waitFor(CONVERGE, "a new successful pass", () -> {
                JsonNode health = health();
                return "UP".equals(health.get("status").asString())
                        && !before.equals(health.get("lastPassAt").asString(""));
            });
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void writeResults(Path file) throws IOException {
        List<String> rows = new ArrayList<>(List.of(
                "# Home agent: `docker run` of a labelled container -> first HTTPS 200",
                "",
                "Written by `HomeAgentEndToEndTests` (`-Dsg.bench.agentResults=benchmarks/agent/RESULTS.md`): from",
                "creating a container with `selfhosted-gateway.fqdn` to the agent's client-link for it (the agent's",
                "share: the engine's event, the link made through the API, the client-link's container created), and",
                "to the first `200` of HTTPS through the gateway's NGINX with a certificate Caddy obtained from Pebble",
                "(the client-link started, the tunnel, the certificate), with nothing done by hand in between. On "
                        + Runtime.getRuntime().availableProcessors() + " CPUs, " + java.time.LocalDate.now() + ".",
                "",
                "| run | to the client-link | to the first HTTPS 200 |",
                "| --- | --- | --- |"));
        for (int i = 0; i < timings.size(); i++) {
            rows.add(String.format("| %d%s | %.2f s | %.2f s |", i + 1, i == 0 ? " (a fresh gateway)" : "",
                    timings.get(i).clientLinkSeconds(), timings.get(i).httpsSeconds()));
        }
        List<Double> https = timings.stream().map(HomeSide.Timing::httpsSeconds).sorted().toList();
        List<Double> agent = timings.stream().map(HomeSide.Timing::clientLinkSeconds).sorted().toList();
        rows.add(String.format("| median | %.2f s | %.2f s |", agent.get(agent.size() / 2),
                https.get(https.size() / 2)));
        rows.add("");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n", rows));
    }
}
