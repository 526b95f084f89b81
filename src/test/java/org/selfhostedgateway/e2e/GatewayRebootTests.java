package org.selfhostedgateway.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gateway host loses power and boots again while the home server runs on, untouched: the gateway's containers
 * die with the engine stopped, the engine starts again and brings back what its restart policies say, the control
 * plane starts. Every link must serve again with the same UDP port and keys, and nothing is done at home.
 *
 * <p>Home and gateway share one engine here, so the engine runs with live restore (scripts/docker-engine.sh):
 * stopping it leaves the home side's containers running, as a second machine's would be.
 */
class GatewayRebootTests {

    private static final Duration FIRST_CERTIFICATE = Duration.ofSeconds(90);
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /**
     * The restarted gateway-link has no session and no address for the client: the client starts a new session
     * at its next rekey, at the latest when its handshake is 180 s old, plus one 25 s keepalive.
     */
    private static final Duration TUNNEL_RECOVERY = Duration.ofSeconds(240);
    private static final Path ENGINE_SCRIPT = Path.of("scripts", "docker-engine.sh");
    private static final Path ENGINE_PID_FILE = Path.of("/run/selfhosted-gateway-dockerd.pid");

    static DataPlaneFixture gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        assumeTrue(Files.exists(ENGINE_PID_FILE)
                && "true".equals(docker("info", "--format", "{{.LiveRestoreEnabled}}")),
                "Needs a Docker engine that scripts/docker-engine.sh started (with live restore): this test stops "
                        + "and starts the engine, and never one that something else manages");
        gateway = new DataPlaneFixture();
        gateway.startControlPlane();
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            engine("start"); // in case a failure left it stopped
            gateway.close();
        }
    }

    @Test
    void afterAPowerCutAndABootEveryLinkServesAgainWithTheSamePortAndKeysWithNothingDoneAtHome() throws Exception {
        TestApi api = gateway.api();
        gateway.startDemoApp("app-r", "hello from app R");
        gateway.startDemoApp("app-s", "hello from app S");
        Map<String, String> pages = Map.of("r.example.test", "hello from app R", "s.example.test",
                "hello from app S");
        String linkR = api.createLink("r.example.test", "app-r:8000").json().get("id").asString();
        String linkS = api.createLink("s.example.test", "app-s:8000").json().get("id").asString();
        gateway.waitForState(linkR, "ACTIVE", CONVERGE);
        gateway.waitForState(linkS, "ACTIVE", CONVERGE);
        GenericContainer<?> clientR = gateway.startClientLink(api.get("/links/" + linkR + "/compose").body());
        GenericContainer<?> clientS = gateway.startClientLink(api.get("/links/" + linkS + "/compose").body());
        pages.forEach((fqdn, page) -> gateway.waitForPage(fqdn, page, FIRST_CERTIFICATE));

        // The gateway keeps where each client is beside the link's keys, where the container reads it at start.
        Map<String, String> recordedEndpoints = new java.util.HashMap<>();
        for (String link : List.of(linkR, linkS)) {
            java.nio.file.Path record = gateway.linkStateDir().resolve(link).resolve("keys").resolve("peer-endpoint");
            DataPlaneFixture.waitFor(Duration.ofSeconds(30), "the gateway to record link " + link
                    + "'s client endpoint", () -> {
                        String recorded = read(record);
                        String current = docker("exec", "sg-link-" + link, "wg", "show", "wg0", "endpoints");
                        return recorded.matches("[0-9.]+:[0-9]+") && current.endsWith("\t" + recorded);
                    });
            recordedEndpoints.put(link, read(record));
        }
        JsonNode beforeR = api.get("/links/" + linkR).json();
        JsonNode beforeS = api.get("/links/" + linkS).json();
        Map<GenericContainer<?>, InspectContainerResponse> home = Map.of(clientR, gateway.inspect(clientR),
                clientS, gateway.inspect(clientS));
        List<InspectContainerResponse> gatewaySide = gateway.gatewayContainers();
        assertThat(gatewaySide).as("NGINX and two link containers").hasSize(3);

        // Power cut: the control plane, the engine and every gateway container stop at once.
        gateway.stopControlPlane();
        engine("stop");
        for (InspectContainerResponse container : gatewaySide) {
            killForcibly(container.getState().getPidLong());
        }

        // Boot: the engine brings back NGINX and the link containers; the control plane starts and reconciles.
        String bootedAt = java.time.Instant.now().minusSeconds(1).toString();
        engine("start");
        gateway.startControlPlane();

        for (JsonNode before : List.of(beforeR, beforeS)) {
            JsonNode after = gateway.api().get("/links/" + before.get("id").asString()).json();
            assertThat(after.get("udpPort")).isEqualTo(before.get("udpPort"));
            assertThat(after.get("gatewayPublicKey")).isEqualTo(before.get("gatewayPublicKey"));
            assertThat(after.get("compose")).as("the snippet at home stays right").isEqualTo(before.get("compose"));
        }
        recordedEndpoints.forEach((link, endpoint) -> DataPlaneFixture.waitFor(CONVERGE,
                "link " + link + " to greet its client at " + endpoint + " after the boot",
                () -> docker("logs", "--since", bootedAt, "sg-link-" + link)
                        .contains("greeting the client at its last endpoint " + endpoint)));
        pages.forEach((fqdn, page) -> gateway.waitForPage(fqdn, page, TUNNEL_RECOVERY));
        gateway.waitForState(linkR, "ACTIVE", CONVERGE);
        gateway.waitForState(linkS, "ACTIVE", CONVERGE);

        for (var client : home.entrySet()) {
            InspectContainerResponse before = client.getValue();
            InspectContainerResponse now = gateway.inspect(client.getKey());
            assertThat(now.getState().getRunning()).isTrue();
            assertThat(now.getState().getStartedAt()).as("the home side was never restarted")
                    .isEqualTo(before.getState().getStartedAt());
            assertThat(now.getRestartCount()).isEqualTo(before.getRestartCount());
        }
        for (InspectContainerResponse container : gateway.gatewayContainers()) {
            assertThat(container.getState().getRunning()).as(container.getName() + " runs").isTrue();
        }
        assertThat(gateway.gatewayContainers()).as("no extra containers after the boot").hasSize(3);
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).trim() : "";
        }
        catch (java.io.IOException e) {
            return "";
        }
    }

    private static void killForcibly(long pid) {
        ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process == null) {
            return;
        }
        assertThat(process.destroyForcibly()).as("kill -9 " + pid).isTrue();
        process.onExit().orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static void engine(String action) {
        DataPlaneFixture.CommandOutput result = DataPlaneFixture.run(Duration.ofSeconds(120),
                List.of("bash", ENGINE_SCRIPT.toString(), action));
        assertThat(result.exitCode()).as("docker-engine.sh %s: %s", action, result.output()).isZero();
    }

    /** The docker CLI's output (stdout and stderr), trimmed. */
    private static String docker(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return DataPlaneFixture.run(Duration.ofSeconds(30), command).output().trim();
    }
}
