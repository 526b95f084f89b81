package org.selfhostedgateway.install;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.selfhostedgateway.e2e.DataPlaneFixture;
import org.selfhostedgateway.e2e.DataPlaneFixture.CommandOutput;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's commands on fresh Debian machines: a container from the local {@code debian:trixie-slim} with this
 * engine's socket mounted plays the VPS (host network, so the API is on its loopback), another plays the home
 * server. Each gets a copy of the repository and the packaged control plane (so it runs after {@code package}: an
 * integration test). Every name the scripts make carries this run's id (image tag, gateway id, network, volumes,
 * compose project), so the shared engine's own images and gateways are never touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostScriptsIT {

    private static final String RUN = "it" + UUID.randomUUID().toString().substring(0, 6);
    private static final String VPS = "sg-" + RUN + "-vps";
    private static final String HOME = "sg-" + RUN + "-home";
    private static final String TOKEN = "it-admin-token-0123456789";
    private static final String DATA_VOLUME = "sg-" + RUN + "-data";
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final List<String> GATEWAY_IMAGES = List.of("control-plane", "gateway-nginx", "gateway-link");
    private static final List<String> TEST_IMAGES = List.of("test-pebble", "test-demo", "client-link");
    private static int apiPort;
    private static String environment;

    @BeforeAll
    static void freshMachines() throws IOException {
        apiPort = freePort();
        int firstUdp = Integer.getInteger("sg.e2e.firstPort", 47100) + 150;
        environment = String.join(" ", "COMPOSE_PROJECT_NAME=sg-" + RUN, "GATEWAY_IMAGE_TAG=" + RUN,
                "GATEWAY_ID=" + RUN, "GATEWAY_NETWORK=sg-" + RUN, "GATEWAY_DATA_VOLUME=" + DATA_VOLUME,
                "GATEWAY_LINKS_VOLUME=sg-" + RUN + "-links", "GATEWAY_HTTP_PORT=" + freePort(),
                "GATEWAY_HTTPS_PORT=" + freePort(), "GATEWAY_API_PORT=" + apiPort, "GATEWAY_API_TOKEN=" + TOKEN,
                "GATEWAY_PORTS_FIRST=" + firstUdp, "GATEWAY_PORTS_LAST=" + (firstUdp + 9));
        freshDebian(VPS);
        freshDebian(HOME);
    }

    @AfterAll
    static void removeEverything() {
        docker("rm", "-f", VPS, HOME);
        String links = docker("ps", "-aq", "--filter", "label=io.selfhosted-gateway.gateway=" + RUN).output().strip();
        if (!links.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("rm", "-f"));
            command.addAll(List.of(links.split("\\s+")));
            docker(command.toArray(String[]::new));
        }
        docker("rm", "-f", "sg-" + RUN + "_control-plane_1", "sg-" + RUN + "_nginx_1");
        docker("network", "rm", "sg-" + RUN);
        docker("volume", "rm", DATA_VOLUME, "sg-" + RUN + "-links");
        for (String image : List.of("control-plane", "gateway-nginx", "gateway-link", "client-link", "home-agent")) {
            docker("image", "rm", "selfhosted-gateway/" + image + ":" + RUN);
        }
        // The engine made the links' state directories on this host (the "VPS" container removed its own view).
        DataPlaneFixture.run(Duration.ofSeconds(30), List.of("rm", "-rf", "/var/lib/selfhosted-gateway/" + RUN));
    }

    @Test
    @Order(1)
    void startGatewayOnAFreshDebianHostInstallsNoBrowserNoTestToolAndNoTestImage() throws Exception {
        long started = System.nanoTime();
        CommandOutput start = on(VPS, Duration.ofMinutes(10),
                environment + " GATEWAY_PUBLIC_HOST=gw.example.test scripts/start-gateway.sh");

        System.out.printf("INSTALL start-gateway.sh on a fresh Debian host: %.0f s%n",
                (System.nanoTime() - started) / 1e9);
        assertThat(start.exitCode()).as(start.output()).isZero();
        assertThat(start.output()).contains("up: API on http://127.0.0.1:" + apiPort);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(on(VPS, Duration.ofSeconds(30), "command -v docker-compose docker curl | wc -l").output().strip())
                .isEqualTo("3");
        assertNothingForTestsOrBrowsersOn(VPS);
        for (String image : GATEWAY_IMAGES) {
            assertThat(imageExists(image)).as(image).isTrue();
        }
        for (String image : TEST_IMAGES) {
            assertThat(imageExists(image)).as(image + " is not for a gateway").isFalse();
        }
    }

    @Test
    @Order(2)
    void stoppingTheGatewayStopsItsLinksAndStartingItAgainBringsThemBack() throws Exception {
        for (String fqdn : List.of("one.example.test", "two.example.test")) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(api("/links"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"fqdn\":\"" + fqdn + "\",\"expose\":\"app:80\"}")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        DataPlaneFixture.waitFor(Duration.ofSeconds(60), "two running link containers",
                () -> runningLinkContainers() == 2);

        CommandOutput stop = on(VPS, Duration.ofMinutes(2), "scripts/stop-gateway.sh");

        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(runningLinkContainers()).isZero();
        assertThat(docker("ps", "-q", "--filter", "label=com.docker.compose.project=sg-" + RUN).output()).isBlank();
        assertThat(docker("ps", "-aq", "--filter", "label=io.selfhosted-gateway.gateway=" + RUN).output().strip()
                .split("\\s+")).as("stopped, not removed").hasSize(2);

        CommandOutput again = on(VPS, Duration.ofMinutes(5), "scripts/start-gateway.sh");

        assertThat(again.exitCode()).as(again.output()).isZero();
        DataPlaneFixture.waitFor(Duration.ofSeconds(90), "the link containers to run again",
                () -> runningLinkContainers() == 2);
    }

    @Test
    @Order(3)
    void removingAGatewayWithLiveLinksAsTheReadmeSaysLeavesNothingBehind() {
        assertThat(runningLinkContainers()).isEqualTo(2);

        CommandOutput refused = on(VPS, Duration.ofMinutes(2), "echo no | scripts/stop-gateway.sh --remove");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("Back it up first").contains("nothing was removed");
        assertThat(runningLinkContainers()).isEqualTo(2);

        CommandOutput removed = on(VPS, Duration.ofMinutes(2),
                "echo " + DATA_VOLUME + " | scripts/stop-gateway.sh --remove");

        assertThat(removed.exitCode()).as(removed.output()).isZero();
        assertThat(docker("ps", "-aq", "--filter", "label=io.selfhosted-gateway.gateway=" + RUN).output()).isBlank();
        assertThat(docker("ps", "-aq", "--filter", "label=com.docker.compose.project=sg-" + RUN).output()).isBlank();
        assertThat(docker("network", "inspect", "sg-" + RUN).exitCode()).as("network").isNotZero();
        assertThat(docker("volume", "inspect", DATA_VOLUME).exitCode()).as("data volume").isNotZero();
        assertThat(docker("volume", "inspect", "sg-" + RUN + "-links").exitCode()).as("links volume").isNotZero();
        for (String image : GATEWAY_IMAGES) {
            assertThat(imageExists(image)).as(image).isFalse();
        }
    }

    @Test
    @Order(4)
    void theHomeSideIsOneCommandThatBuildsOnlyTheClientLinkForThisMachine() {
        long started = System.nanoTime();
        // The README's command; the tag only keeps this run off the engine's shared images.
        CommandOutput install = on(HOME, Duration.ofMinutes(10), "SG_IMAGE_TAG=" + RUN + " scripts/install-home.sh");

        System.out.printf("INSTALL install-home.sh on a fresh Debian host: %.0f s%n",
                (System.nanoTime() - started) / 1e9);
        assertThat(install.exitCode()).as(install.output()).isZero();
        String arch = docker("version", "-f", "{{.Server.Arch}}").output().strip();
        assertThat(install.output()).contains("ready (linux/" + arch + ")");
        assertThat(imageExists("client-link")).isTrue();
        for (String image : List.of("control-plane", "gateway-nginx", "gateway-link", "test-pebble", "test-demo")) {
            assertThat(imageExists(image)).as(image + " is not for a home server").isFalse();
        }
        assertNothingForTestsOrBrowsersOn(HOME);
        assertThat(on(HOME, Duration.ofSeconds(30), "command -v docker-compose").exitCode()).isZero();
        CommandOutput unconfigured = docker("run", "--rm", "selfhosted-gateway/client-link:" + RUN);
        assertThat(unconfigured.output()).as("the image runs here and names what is missing").contains("LINK_DOMAIN");
        CommandOutput agent = docker("run", "--rm", "selfhosted-gateway/home-agent:" + RUN);
        assertThat(agent.output()).as("the home agent's image too").contains("AGENT_GATEWAY_URL is required");
    }

    private static void assertNothingForTestsOrBrowsersOn(String machine) {
        CommandOutput tools = on(machine, Duration.ofSeconds(30),
                "for p in chromium chromium-driver wireguard-tools debootstrap openjdk-17-jre-headless; do "
                        + "dpkg -s $p >/dev/null 2>&1 && echo installed: $p; done; "
                        + "command -v chromium chromedriver wg java; true");
        assertThat(tools.output()).as("browser, test tools").isBlank();
    }

    private static void freshDebian(String name) {
        CommandOutput run = docker("run", "-d", "--name", name, "--label", "io.selfhosted-gateway.test=true",
                "--network", "host", "-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", REPO + ":/src:ro",
                "debian:trixie-slim", "sleep", "infinity");
        assertThat(run.exitCode()).as(run.output()).isZero();
        // A clone and the jar that `package` made; the jar newer than the sources, as after a build.
        CommandOutput copy = docker("exec", name, "bash", "-c", "mkdir -p /opt/selfhosted-gateway/target && "
                + "tar -C /src --exclude=./.git --exclude=./target --exclude=./data --exclude=./.env -cf - . "
                + "| tar -C /opt/selfhosted-gateway -xf - && cp /src/target/selfhosted-gateway.jar "
                + "/opt/selfhosted-gateway/target/ && touch /opt/selfhosted-gateway/target/selfhosted-gateway.jar");
        assertThat(copy.exitCode()).as(copy.output()).isZero();
    }

    private static CommandOutput on(String machine, Duration timeout, String command) {
        return DataPlaneFixture.run(timeout, List.of("docker", "exec", "-i", "-w", "/opt/selfhosted-gateway", machine,
                "bash", "-c", command + " 2>&1"));
    }

    private static CommandOutput docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return DataPlaneFixture.run(Duration.ofMinutes(2), command);
    }

    private static boolean imageExists(String image) {
        return docker("image", "inspect", "selfhosted-gateway/" + image + ":" + RUN).exitCode() == 0;
    }

    private static long runningLinkContainers() {
        String ids = docker("ps", "-q", "--filter", "label=io.selfhosted-gateway.gateway=" + RUN).output().strip();
        return ids.isEmpty() ? 0 : ids.split("\\s+").length;
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(api(path)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
