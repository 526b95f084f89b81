package org.selfhostedgateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A gateway's own parts on the real engine, which every end-to-end fixture builds on: a work directory (the control
 * plane's data and the NGINX map), the gateway network, the gateway NGINX as docker-compose.gateway.yml runs it, and
 * the control plane in this JVM with the settings a test gateway needs. Whatever it starts carries {@link #TEST_LABEL}
 * and this run's id; {@link #close()} removes it all, the link containers the control plane made included, and is
 * safe to call twice.
 */
public final class TestGateway implements AutoCloseable {

    public static final String TEST_LABEL = "io.selfhosted-gateway.test";

    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final DockerClient docker = DockerClientFactory.instance().client();
    private final String gatewayId;
    private final String token;
    private final Path workDir;
    private final Path dataDir;
    private final Path linksDir;
    private final String networkName;
    private final Network network;
    private final List<GenericContainer<?>> containers = new ArrayList<>();
    private final List<Network> networks = new ArrayList<>();
    private final List<String> defaults;
    private final GenericContainer<?> nginx;
    private ConfigurableApplicationContext controlPlane;

    /**
     * A gateway named {@code kind-<run id>} whose links take the UDP ports {@code firstPort..lastPort}, apart from
     * other gateways of the run; its NGINX is running when this returns.
     */
    public TestGateway(String kind, String token, int firstPort, int lastPort) throws IOException {
        this.gatewayId = kind + "-" + runId;
        this.token = token;
        workDir = Files.createTempDirectory("sg-" + kind + "-");
        dataDir = Files.createDirectories(workDir.resolve("data"));
        linksDir = Files.createDirectories(workDir.resolve("links"));
        networkName = "sg-" + kind + "-gw-" + runId;
        network = network(networkName);
        defaults = List.of(
                "--gateway.data.dir=" + dataDir,
                "--gateway.api.token=" + token,
                "--gateway.ports.first=" + firstPort, "--gateway.ports.last=" + lastPort,
                "--gateway.docker.enabled=true",
                "--gateway.docker.network=" + networkName,
                "--gateway.docker.gateway-id=" + gatewayId,
                "--gateway.nginx.links-dir=" + linksDir,
                "--gateway.reconcile.interval=2s",
                // Tests wait for health (CONNECTED, the client endpoint): sweep more often than the shipped 60 s.
                "--gateway.health.interval=10s",
                "--logging.level.org.selfhostedgateway=INFO",
                TestImages.controlPlaneSettings()[0], TestImages.controlPlaneSettings()[1]);
        nginx = start(new GenericContainer<>(DockerImageName.parse(TestImages.image("gateway-nginx")))
                .withNetwork(network)
                // A plain bind: Testcontainers' own file-mount helpers would pull an image, and nothing is pulled here.
                // As docker-compose.gateway.yml runs it: back by itself after a reboot.
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withBinds(new Bind(linksDir.toString(), new Volume("/etc/nginx/links")))
                        .withRestartPolicy(RestartPolicy.unlessStoppedRestart()))
                .waitingFor(Wait.forSuccessfulCommand("test -S /run/nginx/reject.sock")));
    }

    /**
     * The control plane's command line for this gateway: the defaults, then these settings ({@code name=value}, with
     * or without a leading {@code --}), each replacing a default of the same name.
     */
    public List<String> settings(String... overrides) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String setting : defaults) {
            put(byName, setting);
        }
        for (String setting : overrides) {
            put(byName, setting.startsWith("--") ? setting : "--" + setting);
        }
        return byName.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static void put(Map<String, String> settings, String setting) {
        int eq = setting.indexOf('=');
        settings.put(setting.substring(0, eq), setting.substring(eq + 1));
    }

    /** Starts the control plane in this JVM on the gateway's data directory (again, after a stop). */
    public TestApi startInJvm(String... overrides) {
        // Any free port, unless the test names one: a name given twice on a command line becomes a list.
        List<String> withPort = new ArrayList<>(List.of("--server.port=0"));
        withPort.addAll(List.of(overrides));
        controlPlane = new SpringApplicationBuilder(GatewayApplication.class)
                .run(settings(withPort.toArray(String[]::new)).toArray(String[]::new));
        return api();
    }

    public void stopInJvm() {
        if (controlPlane != null) {
            controlPlane.close();
            controlPlane = null;
        }
    }

    /** The port the in-JVM control plane's API listens on. */
    public int apiPort() {
        return ((WebServerApplicationContext) controlPlane).getWebServer().getPort();
    }

    /** The in-JVM control plane's API with the admin token. */
    public TestApi api() {
        return new TestApi(apiPort(), token);
    }

    public <T> T bean(Class<T> type) {
        return controlPlane.getBean(type);
    }

    /** Starts a container with this run's labels; {@link #close()} stops it. */
    public <T extends GenericContainer<?>> T start(T container) {
        container.withLabel(TEST_LABEL, "true").withLabel(TEST_LABEL + ".run", runId);
        containers.add(container);
        container.start();
        return container;
    }

    /** Makes a network with the test label; {@link #close()} removes it. */
    public Network network(String name) {
        Network made = Network.builder().createNetworkCmdModifier(cmd -> cmd.withName(name)
                .withLabels(Map.of(TEST_LABEL, "true"))).build();
        made.getId(); // created lazily otherwise
        networks.add(made);
        return made;
    }

    /** Keeps a network made elsewhere (with its own settings) for {@link #close()} to remove. */
    public Network removedAtClose(Network made) {
        networks.add(made);
        return made;
    }

    public String runId() {
        return runId;
    }

    public String gatewayId() {
        return gatewayId;
    }

    public DockerClient docker() {
        return docker;
    }

    public Path workDir() {
        return workDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path linksDir() {
        return linksDir;
    }

    public Network network() {
        return network;
    }

    public String networkName() {
        return networkName;
    }

    public GenericContainer<?> nginx() {
        return nginx;
    }

    /** Polls every quarter second until the condition holds; fails naming what it waited for. */
    public static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        waitFor(timeout, () -> what, condition);
    }

    /** As above, with what it waited for described when it fails (with the last thing seen, say). */
    public static void waitFor(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(250);
        }
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            stopInJvm();
        }
        catch (RuntimeException e) {
            // keep cleaning up
        }
        for (GenericContainer<?> container : containers) {
            container.stop();
        }
        containers.clear();
        // Link containers the control plane made (and may not have removed, had a test failed).
        docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.selfhosted-gateway.gateway", gatewayId)).exec()
                .forEach(container -> docker.removeContainerCmd(container.getId()).withForce(true).exec());
        // Networks others joined last go first: nothing is left attached to the gateway network when it goes.
        for (int i = networks.size() - 1; i >= 0; i--) {
            try {
                networks.get(i).close();
            }
            catch (RuntimeException alreadyGone) {
                // closing twice is fine
            }
        }
        networks.clear();
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
