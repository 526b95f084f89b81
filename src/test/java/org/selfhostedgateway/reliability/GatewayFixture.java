package org.selfhostedgateway.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Volume;
import org.selfhostedgateway.GatewayApplication;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestImages;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;

/**
 * A gateway without a home side: the gateway NGINX on a network of its own, a data directory, and the control plane
 * either in this JVM or as a separate process. Everything carries this run's id; {@link #close()} removes it all.
 */
final class GatewayFixture implements AutoCloseable {

    static final String TOKEN = "reliability-admin-token-0123456789";
    static final String TEST_LABEL = "io.selfhosted-gateway.test";
    static final String LINK_LABEL = "io.selfhosted-gateway.link-id";
    static final String PORT_LABEL = "io.selfhosted-gateway.udp-port";

    final String runId = UUID.randomUUID().toString().substring(0, 8);
    final DockerClient docker = DockerClientFactory.instance().client();
    final Path workDir;
    final Path dataDir;
    final Path linksDir;
    final String networkName = "sg-rel-" + runId;
    private final Network network;
    private final int firstPort;
    private final int lastPort;
    private GenericContainer<?> nginx;
    private ConfigurableApplicationContext inJvm;
    private ControlPlaneProcess process;

    GatewayFixture(int firstPort, int lastPort) throws IOException {
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        workDir = Files.createTempDirectory("sg-rel-");
        dataDir = Files.createDirectories(workDir.resolve("data"));
        linksDir = Files.createDirectories(workDir.resolve("links"));
        network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withName(networkName)
                .withLabels(Map.of(TEST_LABEL, "true"))).build();
        network.getId();
        nginx = new GenericContainer<>(DockerImageName.parse(TestImages.image("gateway-nginx")))
                .withNetwork(network)
                .withLabel(TEST_LABEL, "true").withLabel(TEST_LABEL + ".run", runId)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(
                        new Bind(linksDir.toString(), new Volume("/etc/nginx/links"))))
                .waitingFor(Wait.forSuccessfulCommand("test -S /run/nginx/reject.sock"));
        nginx.start();
    }

    String gatewayId() {
        return "rel-" + runId;
    }

    GenericContainer<?> nginx() {
        return nginx;
    }

    /** The control plane's settings for this gateway; later {@code --name=value} entries replace earlier ones. */
    List<String> settings(String... overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : List.of(
                "--gateway.data.dir=" + dataDir,
                "--gateway.api.token=" + TOKEN,
                "--gateway.link.public-host=gateway.example.test",
                "--gateway.ports.first=" + firstPort, "--gateway.ports.last=" + lastPort,
                "--gateway.docker.enabled=true",
                "--gateway.docker.network=" + networkName,
                "--gateway.docker.gateway-id=" + gatewayId(),
                "--gateway.nginx.links-dir=" + linksDir,
                "--gateway.reconcile.interval=2s",
                // Tests wait for health (CONNECTED, the client endpoint): sweep more often than the shipped 60 s.
                "--gateway.health.interval=10s",
                "--logging.level.org.selfhostedgateway=INFO")) {
            put(settings, setting);
        }
        for (String setting : TestImages.controlPlaneSettings()) {
            put(settings, setting);
        }
        for (String setting : overrides) {
            put(settings, setting);
        }
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static void put(Map<String, String> settings, String setting) {
        int eq = setting.indexOf('=');
        settings.put(setting.substring(0, eq), setting.substring(eq + 1));
    }

    TestApi startInJvm(String... overrides) {
        List<String> args = new ArrayList<>(settings(overrides));
        args.add("--server.port=0");
        inJvm = new SpringApplicationBuilder(GatewayApplication.class).run(args.toArray(String[]::new));
        return new TestApi(((WebServerApplicationContext) inJvm).getWebServer().getPort(), TOKEN);
    }

    <T> T bean(Class<T> type) {
        return inJvm.getBean(type);
    }

    TestApi startProcess(String... overrides) {
        process = ControlPlaneProcess.start(settings(overrides), workDir.resolve("control-plane.log"), TOKEN,
                Duration.ofSeconds(90));
        return new TestApi(process.port(), TOKEN);
    }

    ControlPlaneProcess process() {
        return process;
    }

    void stopControlPlane() {
        if (inJvm != null) {
            inJvm.close();
            inJvm = null;
        }
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    /** This gateway's link containers, by link id. */
    Map<String, Container> linkContainers() {
        Map<String, Container> byLink = new HashMap<>();
        for (Container container : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.selfhosted-gateway.gateway", gatewayId(),
                        "io.selfhosted-gateway.role", "gateway-link")).exec()) {
            Container clash = byLink.put(container.getLabels().get(LINK_LABEL), container);
            if (clash != null) {
                throw new AssertionError("Two containers for link " + container.getLabels().get(LINK_LABEL));
            }
        }
        return byLink;
    }

    /** The NGINX map on disk as fqdn -> container name. */
    Map<String, String> mapEntries() {
        Map<String, String> entries = new TreeMap<>();
        try {
            Path file = linksDir.resolve("links.map");
            if (!Files.exists(file)) {
                return entries;
            }
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("\"")) {
                    String[] parts = line.split("\"");
                    entries.put(parts[1], parts[3]);
                }
            }
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    /**
     * What is wrong between the database (as the API lists it) and the data plane, or null when nothing is: no
     * duplicate fqdn or port, one running container per link on the link's port, none without a link, the map equal
     * to the links, every link ACTIVE.
     */
    String divergence(TestApi api) {
        JsonNode links = api.get("/links").json();
        Set<String> fqdns = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        Map<String, String> wantedMap = new TreeMap<>();
        Map<String, Integer> wantedPorts = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode link : links) {
            String id = link.get("id").asString();
            String fqdn = link.get("fqdn").asString();
            int port = link.get("udpPort").asInt();
            if (!fqdns.add(fqdn)) {
                problems.add("duplicate fqdn " + fqdn);
            }
            if (!ports.add(port)) {
                problems.add("duplicate port " + port);
            }
            if (port < firstPort || port > lastPort) {
                problems.add("port " + port + " outside the range");
            }
            if (!"ACTIVE".equals(link.get("state").asString())) {
                problems.add(fqdn + " is " + link.get("state").asString() + " " + link.get("stateReason"));
            }
            // A link that gets the visitor's address is marked for NGINX to send it a PROXY line.
            wantedMap.put(fqdn, "sg-link-" + id
                    + ("PROXY_PROTOCOL".equals(link.get("visitorAddress").asString()) ? "/pp" : ""));
            wantedPorts.put(id, port);
        }
        Map<String, Container> containers = linkContainers();
        Set<String> containerPorts = new HashSet<>();
        containers.forEach((id, container) -> {
            if (!wantedPorts.containsKey(id)) {
                problems.add("container without a link: " + id + " (" + container.getState() + ")");
                return;
            }
            if (!"running".equals(container.getState())) {
                problems.add("container of " + id + " is " + container.getState());
            }
            if (!String.valueOf(wantedPorts.get(id)).equals(container.getLabels().get(PORT_LABEL))) {
                problems.add("container of " + id + " on port " + container.getLabels().get(PORT_LABEL));
            }
            if (!containerPorts.add(container.getLabels().get(PORT_LABEL))) {
                problems.add("two containers on port " + container.getLabels().get(PORT_LABEL));
            }
        });
        wantedPorts.keySet().stream().filter(id -> !containers.containsKey(id))
                .forEach(id -> problems.add("link without a container: " + id));
        Map<String, String> map = mapEntries();
        if (!map.equals(wantedMap)) {
            problems.add("NGINX map differs from the database: map has " + map.size() + ", database "
                    + wantedMap.size());
        }
        return problems.isEmpty() ? null : String.join("; ", problems.subList(0, Math.min(10, problems.size())))
                + (problems.size() > 10 ? " ... (" + problems.size() + " problems)" : "");
    }

    /** Waits until {@link #divergence} finds nothing; returns how long it took. */
    Duration awaitConverged(TestApi api, Duration timeout) {
        return await(timeout, "the data plane to equal the database", () -> divergence(api));
    }

    /** Polls until the supplier returns null (nothing wrong); fails with the last complaint. */
    static Duration await(Duration timeout, String what, Supplier<String> complaint) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = complaint.get();
            }
            catch (RuntimeException e) {
                last = e.toString();
            }
            if (last == null) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            ControlPlaneProcess.sleep(250);
        }
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what + ": " + last);
    }

    @Override
    public void close() {
        try {
            stopControlPlane();
        }
        catch (RuntimeException e) {
            // keep cleaning up
        }
        if (nginx != null) {
            nginx.stop();
            nginx = null;
        }
        docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.selfhosted-gateway.gateway", gatewayId())).exec()
                .forEach(container -> docker.removeContainerCmd(container.getId()).withForce(true).exec());
        try {
            network.close();
        }
        catch (RuntimeException alreadyGone) {
            // closing twice is fine
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
