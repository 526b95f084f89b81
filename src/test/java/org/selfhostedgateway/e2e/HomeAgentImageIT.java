package org.selfhostedgateway.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.BenchmarkRows;
import org.selfhostedgateway.e2e.DataPlaneFixture.CommandOutput;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home-agent image as {@code docker-compose.home.yml} in the README runs it: its own container with the Docker
 * socket, a named token and the gateway's URL, against a real gateway with Pebble. Built here from the packaged jar
 * (an integration test, after {@code package}), as {@code scripts/prepare-docker.sh home} builds it.
 */
class HomeAgentImageIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    static DataPlaneFixture gateway;
    static HomeSide home;
    static DockerClient docker;
    static String image;
    static String agent;

    @BeforeAll
    static void gatewayAndImage() throws Exception {
        gateway = new DataPlaneFixture();
        home = new HomeSide(gateway);
        docker = DockerClientFactory.instance().client();
        image = "selfhosted-gateway/home-agent:" + home.agentId();
        agent = home.agentId() + "-agent";
        CommandOutput built = DataPlaneFixture.run(Duration.ofMinutes(5), List.of("env", "DOCKER_BUILDKIT=0",
                "docker", "build", "-q", "--label", DataPlaneFixture.TEST_LABEL + "=true", "-f",
                "images/home-agent/Dockerfile", "-t", image, "."));
        assertThat(built.exitCode()).as(built.output()).isZero();
    }

    @AfterAll
    static void removeEverything() {
        if (home != null) {
            home.removeEverything(); // the agent's container carries the run's test label too
        }
        if (gateway != null) {
            gateway.close();
        }
        DataPlaneFixture.run(Duration.ofSeconds(60), List.of("docker", "image", "rm", "-f", image));
    }

    @Test
    void theImagePublishesALabelledContainerLogsEachActionAndARestartOfItChangesNothing() throws IOException {
        int apiPort = HomeAgentEndToEndTests.freePort();
        gateway.startControlPlane("server.port=" + apiPort);
        String host = docker.inspectNetworkCmd().withNetworkId(gateway.homeNetworkName()).exec().getIpam()
                .getConfig().get(0).getGateway();
        String id = docker.createContainerCmd(image).withName(agent).withLabels(home.testLabels())
                .withEnv("AGENT_GATEWAY_URL=http://" + host + ":" + apiPort,
                        "AGENT_TOKEN=" + HomeAgentEndToEndTests.agentToken(gateway),
                        "AGENT_ID=" + home.agentId(), "AGENT_RESYNC_SECONDS=5",
                        "ACME_CA=https://pebble:14000/dir", "ACME_CA_ROOT=/etc/sg-test/pebble.pem",
                        "ACME_EMAIL=admin@example.test")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(gateway.homeNetworkName())
                        .withBinds(new Bind("/var/run/docker.sock", new Volume("/var/run/docker.sock")),
                                new Bind(gateway.pebbleTlsRoot().toString(), new Volume("/etc/sg-test/pebble.pem"))))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        URI health = URI.create("http://" + docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks()
                .get(gateway.homeNetworkName()).getIpAddress() + ":8099/health");
        DataPlaneFixture.waitFor(CONVERGE, "the agent's first pass", () -> isUp(health));

        HomeSide.Timing timing = home.runAndTimeFirstHttps("app", "image.example.test",
                "hello through the agent's image");

        System.out.printf("BENCH home-agent image: docker run of a labelled container -> client-link %.2f s, first "
                + "HTTPS 200 %.2f s%n", timing.clientLinkSeconds(), timing.httpsSeconds());
        BenchmarkRows.record("agent_image_run_to_https_s", String.format("%.2f", timing.httpsSeconds()));
        assertThat(home.onlyLink("image.example.test").get("createdBy").asString()).isEqualTo("token home-agent");
        String log = logs();
        assertThat(log).contains("link ").contains(" made for image.example.test -> ")
                .contains("client-link sg-" + home.agentId() + "-image.example.test started for image.example.test");
        assertThat(log).as("the agent's own lines, not its libraries' debug output").doesNotContain("DEBUG");
        long rssKib = rssKib(id);
        System.out.printf("BENCH home-agent RSS with one link: %d MiB%n", rssKib / 1024);
        BenchmarkRows.record("agent_rss_mib", String.valueOf(rssKib / 1024));

        Map<String, String> links = home.linkIdsByFqdn();
        Map<String, String> clients = home.clientIdsByFqdn();
        docker.restartContainerCmd(id).withTimeout(10).exec();
        DataPlaneFixture.waitFor(CONVERGE, "the restarted agent's first pass",
                () -> isUp(health) && logs().indexOf("started: gateway") != logs().lastIndexOf("started: gateway"));
        DataPlaneFixture.waitFor(CONVERGE, "a pass after the restart", () -> isUp(health)
                && HomeSide.record(HomeSide.health(health), home.containerName("app")) != null);

        assertThat(home.linkIdsByFqdn()).isEqualTo(links);
        assertThat(home.clientIdsByFqdn()).isEqualTo(clients);
        assertThat(gateway.https("image.example.test", "/").output()).contains("hello through the agent's image");
    }

    private static boolean isUp(URI health) {
        try {
            JsonNode answer = HomeSide.health(health);
            return "UP".equals(answer.get("status").asString());
        }
        catch (IllegalStateException notListeningYet) {
            return false;
        }
    }

    private static String logs() {
        return DataPlaneFixture.run(Duration.ofSeconds(30), List.of("docker", "logs", agent)).output();
    }

    /** The resident memory of the agent's JVM, as the host's kernel counts it. */
    private static long rssKib(String containerId) throws IOException {
        long pid = docker.inspectContainerCmd(containerId).exec().getState().getPidLong();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
