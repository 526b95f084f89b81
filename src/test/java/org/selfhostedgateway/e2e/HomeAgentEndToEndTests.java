package org.selfhostedgateway.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.selfhostedgateway.BenchmarkRows;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestImages;
import org.selfhostedgateway.agent.HomeAgent;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 as a user meets it: containers with {@code selfhosted-gateway.*} labels on a home network, the home agent
 * (with a named token of its own) and a real gateway with Pebble on one engine. No snippet is pasted and no link
 * made by hand: the agent makes them and runs their client-links. The tests share the gateway and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeAgentEndToEndTests {

    private static final Duration FIRST_HTTPS = Duration.ofSeconds(120);
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String AGENT_ID = "e2e-" + RUN;
    private static final String OWNER = "token home-agent";

    static DataPlaneFixture gateway;
    static DockerClient docker;
    static int apiPort;
    static Map<String, String> agentEnvironment;
    static HomeAgent agent;
    static final List<Double> runToHttpsSeconds = new ArrayList<>();

    @BeforeAll
    static void gatewayAndAgent() throws Exception {
        gateway = new DataPlaneFixture();
        docker = DockerClientFactory.instance().client();
        apiPort = freePort();
        // A fixed port: the agent must find the gateway at the same address after the gateway restarts.
        gateway.startControlPlane("server.port=" + apiPort);
        TestApi.Reply token = gateway.api().post("/tokens", TestApi.json("name", "home-agent"));
        assertThat(token.status()).as(token.body()).isEqualTo(201);

        agentEnvironment = Map.of(
                "AGENT_GATEWAY_URL", "http://127.0.0.1:" + apiPort,
                "AGENT_TOKEN", token.json().get("token").asString(),
                "AGENT_ID", AGENT_ID,
                "AGENT_RESYNC_SECONDS", "5",
                "AGENT_HEALTH_PORT", "0",
                // Only what a test CA needs, as a user would set Let's Encrypt's staging directory.
                "ACME_CA", "https://pebble:14000/dir",
                "ACME_CA_ROOT", gateway.pebbleTlsRoot().toString(),
                "ACME_EMAIL", "admin@example.test");
        agent = HomeAgent.start(agentEnvironment);
    }

    @AfterAll
    static void removeEverything() throws IOException {
        if (agent != null) {
            agent.close();
        }
        if (docker != null) {
            for (Container container : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DataPlaneFixture.TEST_LABEL + ".run", RUN)).exec()) {
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
            }
            clientLinks().forEach(container -> docker.removeContainerCmd(container.getId()).withForce(true).exec());
            docker.listVolumesCmd().withFilter("label", List.of("io.selfhosted-gateway.agent=" + AGENT_ID)).exec()
                    .getVolumes().forEach(volume -> docker.removeVolumeCmd(volume.getName()).exec());
        }
        if (gateway != null) {
            gateway.close();
        }
        String results = System.getProperty("sg.bench.agentResults");
        if (results != null && !runToHttpsSeconds.isEmpty()) {
            writeResults(Path.of(results));
        }
    }

    @Test
    @Order(1)
    void aLabelledContainerIsServedOverHttpsWithoutAnyManualStep() throws Exception {
        runAndTimeFirstHttps("web", "web.example.test", "hello from the labelled web app");

        JsonNode link = onlyLink("web.example.test");
        assertThat(link.get("createdBy").asString()).as("the owner the page and GET /links show").isEqualTo(OWNER);
        assertThat(link.get("expose").asString()).as("the only port the image exposes").isEqualTo(
                containerName("web") + ":8000");
        List<Container> clients = clientLinksFor("web.example.test");
        assertThat(clients).hasSize(1);
        assertThat(clients.get(0).getLabels()).containsEntry("io.selfhosted-gateway.agent.link-id",
                link.get("id").asString());
        assertThat(docker.inspectContainerCmd(clients.get(0).getId()).exec().getConfig().getEnv())
                .as("the private key is a root-only file in the container, not in its environment")
                .noneMatch(variable -> variable.startsWith("GATEWAY_CLIENT_WG_PRIVKEY="));
        JsonNode health = health();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("owner").asString()).isEqualTo(OWNER);
        assertThat(record(health, containerName("web")).get("status").asString()).isEqualTo("LINKED");
    }

    @Test
    @Order(2)
    void badLabelsAreRefusedWithTheirReasonAndNothingIsMadeForThem() throws Exception {
        runLabelled("badport", "bad port", Map.of("selfhosted-gateway.fqdn", "badport.example.test",
                "selfhosted-gateway.port", "70000"));
        runLabelled("badname", "bad name", Map.of("selfhosted-gateway.fqdn", "under_score.example.test"));

        DataPlaneFixture.waitFor(CONVERGE, "the agent to refuse both", () -> {
            JsonNode health = health();
            return record(health, containerName("badport")) != null && record(health, containerName("badname")) != null;
        });
        JsonNode health = health();
        assertThat(record(health, containerName("badport")).get("status").asString()).isEqualTo("REFUSED");
        assertThat(record(health, containerName("badport")).get("reason").asString())
                .contains("selfhosted-gateway.port=70000 is not a port from 1 to 65535");
        assertThat(record(health, containerName("badname")).get("reason").asString())
                .as("the gateway's own words").contains("the gateway refused it").contains("fqdn");
        assertThat(health.get("status").asString()).as("refused labels do not make the agent unhealthy")
                .isEqualTo("UP");
        assertThat(links("badport.example.test")).isEmpty();
        assertThat(links("under_score.example.test")).isEmpty();
        assertThat(clientLinksFor("badport.example.test")).isEmpty();
        assertThat(https("web.example.test")).as("the other link serves on").contains("hello from the labelled");
        removeLabelled("badport");
        removeLabelled("badname");
    }

    @Test
    @Order(3)
    void aLinkMadeByHandIsNeverTouched() throws Exception {
        JsonNode byHand = gateway.api().createLink("hand.example.test", "somewhere:80").json();
        runLabelled("claims-hand", "wants the hand-made name", Map.of("selfhosted-gateway.fqdn", "hand.example.test"));

        DataPlaneFixture.waitFor(CONVERGE, "the agent to refuse a name someone else owns",
                () -> record(health(), containerName("claims-hand")) != null);
        assertThat(record(health(), containerName("claims-hand")).get("reason").asString())
                .contains("made by admin").contains("leaves it alone");
        removeLabelled("claims-hand");
        waitForPasses(2);

        JsonNode after = onlyLink("hand.example.test");
        assertThat(after.get("id").asString()).isEqualTo(byHand.get("id").asString());
        assertThat(after.get("expose").asString()).isEqualTo("somewhere:80");
        assertThat(clientLinksFor("hand.example.test")).as("no client-link for a link the agent did not make")
                .isEmpty();
    }

    @Test
    @Order(4)
    void recreatingTheContainerWithOtherLabelsUpdatesTheLink() throws Exception {
        String before = onlyLink("web.example.test").get("id").asString();
        removeLabelled("web");
        runLabelled("web", "hello from the web app on its new port", Map.of(
                "selfhosted-gateway.fqdn", "web.example.test", "selfhosted-gateway.port", "8080"), 8080);

        gateway.waitForPage("web.example.test", "hello from the web app on its new port", FIRST_HTTPS);
        JsonNode link = onlyLink("web.example.test");
        assertThat(link.get("expose").asString()).isEqualTo(containerName("web") + ":8080");
        assertThat(link.get("id").asString()).isNotEqualTo(before);
        assertThat(gateway.api().get("/links/" + before).status()).isEqualTo(404);
        assertThat(clientLinksFor("web.example.test")).hasSize(1);
    }

    @Test
    @Order(5)
    void removingTheContainerDeletesItsLinkAndItsClientLink() {
        removeLabelled("web");

        DataPlaneFixture.waitFor(CONVERGE, "the link and the client-link of web.example.test to go",
                () -> links("web.example.test").isEmpty() && clientLinksFor("web.example.test").isEmpty());
        DataPlaneFixture.waitFor(CONVERGE, "web.example.test to stop answering",
                () -> gateway.https("web.example.test", "/").exitCode() != 0);
        assertThat(links("hand.example.test")).as("the hand-made link stays").hasSize(1);
    }

    @Test
    @Order(6)
    void anAgentRestartAndAGatewayRestartLeaveExactlyOneLinkAndOneClientLinkPerLabelledContainer() throws Exception {
        runAndTimeFirstHttps("one", "one.example.test", "hello from one");
        runAndTimeFirstHttps("two", "two.example.test", "hello from two");
        Map<String, String> linkIds = linkIdsByFqdn();
        Map<String, String> clientIds = clientIdsByFqdn();

        agent.close();
        agent = HomeAgent.start(agentEnvironment);
        waitForPasses(1);

        assertThat(linkIdsByFqdn()).as("the same links, none added").isEqualTo(linkIds);
        assertThat(clientIdsByFqdn()).as("the same client-links, none recreated").isEqualTo(clientIds);

        gateway.stopControlPlane();
        removeLabelled("two"); // while the gateway is away: the agent retries, then catches up
        DataPlaneFixture.waitFor(CONVERGE, "the agent to notice the gateway is away",
                () -> "DOWN".equals(health().get("status").asString()) || health().get("lastError").isString());
        gateway.startControlPlane("server.port=" + apiPort);

        DataPlaneFixture.waitFor(CONVERGE, "the agent to catch up: two.example.test's link and client-link gone",
                () -> links("two.example.test").isEmpty() && clientLinksFor("two.example.test").isEmpty());
        waitForPasses(1);
        assertThat(linkIdsByFqdn()).containsOnlyKeys("one.example.test", "hand.example.test")
                .containsEntry("one.example.test", linkIds.get("one.example.test"));
        assertThat(clientIdsByFqdn()).containsExactlyEntriesOf(
                Map.of("one.example.test", clientIds.get("one.example.test")));
        assertThat(https("one.example.test")).contains("hello from one");
        assertThat(health().get("status").asString()).isEqualTo("UP");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static void runAndTimeFirstHttps(String name, String fqdn, String page) {
        long started = System.nanoTime();
        runLabelled(name, page, Map.of("selfhosted-gateway.fqdn", fqdn));
        gateway.waitForPage(fqdn, page, FIRST_HTTPS);
        double seconds = (System.nanoTime() - started) / 1e9;
        runToHttpsSeconds.add(seconds);
        System.out.printf("BENCH docker run of a labelled container -> first HTTPS 200 (%s): %.2f s%n", fqdn,
                seconds);
        BenchmarkRows.record("agent_run_to_https_s", String.format("%.2f", seconds));
    }

    /** {@code docker run} of the test's demo app with these labels, on the home network. */
    private static void runLabelled(String name, String page, Map<String, String> labels) {
        runLabelled(name, page, labels, 8000);
    }

    private static void runLabelled(String name, String page, Map<String, String> labels, int port) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(DataPlaneFixture.TEST_LABEL, "true");
        all.put(DataPlaneFixture.TEST_LABEL + ".run", RUN);
        String id = docker.createContainerCmd(TestImages.image("test-demo")).withName(containerName(name))
                .withLabels(all)
                .withCmd("sh", "-c", "printf '%s\\n' \"$0\" > /www/index.html && exec busybox httpd -f -p " + port
                        + " -h /www", page)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(gateway.homeNetworkName()))
                .exec().getId();
        docker.startContainerCmd(id).exec();
    }

    private static void removeLabelled(String name) {
        try {
            docker.removeContainerCmd(containerName(name)).withForce(true).exec();
        }
        catch (NotFoundException alreadyGone) {
            // fine
        }
    }

    private static String containerName(String name) {
        return "sg-e2e-" + RUN + "-" + name;
    }

    private static List<Container> clientLinks() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.selfhosted-gateway.agent", AGENT_ID)).exec();
    }

    private static List<Container> clientLinksFor(String fqdn) {
        return clientLinks().stream()
                .filter(container -> fqdn.equals(container.getLabels().get("io.selfhosted-gateway.agent.fqdn")))
                .toList();
    }

    private static Map<String, String> clientIdsByFqdn() {
        Map<String, String> ids = new HashMap<>();
        for (Container container : clientLinks()) {
            assertThat(ids.put(container.getLabels().get("io.selfhosted-gateway.agent.fqdn"), container.getId()))
                    .as("one client-link per name").isNull();
        }
        return ids;
    }

    private static List<JsonNode> links(String fqdn) {
        return StreamSupport.stream(gateway.api().get("/links?fqdn=" + fqdn).json().spliterator(), false).toList();
    }

    private static JsonNode onlyLink(String fqdn) {
        List<JsonNode> links = links(fqdn);
        assertThat(links).as("links for " + fqdn).hasSize(1);
        return links.get(0);
    }

    private static Map<String, String> linkIdsByFqdn() {
        Map<String, String> ids = new HashMap<>();
        for (JsonNode link : gateway.api().get("/links").json()) {
            assertThat(ids.put(link.get("fqdn").asString(), link.get("id").asString())).as("one link per name")
                    .isNull();
        }
        return ids;
    }

    private static String https(String fqdn) {
        return gateway.https(fqdn, "/").output();
    }

    private static JsonNode health() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.healthPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(response.body());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode record(JsonNode health, String container) {
        for (JsonNode record : health.get("containers")) {
            if (container.equals(record.get("container").asString())) {
                return record;
            }
        }
        return null;
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void writeResults(Path file) throws IOException {
        List<Double> sorted = runToHttpsSeconds.stream().sorted().toList();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n",
                "# Home agent: `docker run` of a labelled container -> first HTTPS 200",
                "",
                "Written by `HomeAgentEndToEndTests` (`-Dsg.bench.agentResults=benchmarks/agent/RESULTS.md`): the",
                "time from creating a container with `selfhosted-gateway.fqdn` to the first `200` of HTTPS through the",
                "gateway's NGINX with a certificate Caddy obtained from Pebble, with nothing done by hand in between:",
                "the agent sees the engine's event, makes the link, starts the client-link, Caddy gets its",
                "certificate. Measured on " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                        + java.time.LocalDate.now() + ".",
                "",
                "| figure | value |",
                "| --- | --- |",
                "| runs | " + sorted.size() + " |",
                String.format("| first run (a fresh gateway) | %.2f s |", runToHttpsSeconds.get(0)),
                String.format("| median | %.2f s |", sorted.get(sorted.size() / 2)),
                String.format("| slowest | %.2f s |", sorted.get(sorted.size() - 1)),
                ""));
    }
}
