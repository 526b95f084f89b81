package org.selfhostedgateway.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestGateway;
import tools.jackson.databind.JsonNode;

/**
 * A gateway without a home side: a {@link TestGateway} (NGINX, data directory) whose control plane runs either in
 * this JVM or as a separate process. {@link #close()} removes it all.
 */
final class GatewayFixture implements AutoCloseable {

    static final String TOKEN = "reliability-admin-token-0123456789";
    static final String LINK_LABEL = "io.selfhosted-gateway.link-id";
    static final String PORT_LABEL = "io.selfhosted-gateway.udp-port";

    private final TestGateway gateway;
    final DockerClient docker;
    final Path workDir;
    final Path linksDir;
    private final int firstPort;
    private final int lastPort;
    private ControlPlaneProcess process;

    GatewayFixture(int firstPort, int lastPort) throws IOException {
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        gateway = new TestGateway("rel", TOKEN, firstPort, lastPort);
        docker = gateway.docker();
        workDir = gateway.workDir();
        linksDir = gateway.linksDir();
    }

    String gatewayId() {
        return gateway.gatewayId();
    }

    /** The control plane's settings for this gateway; later {@code --name=value} entries replace earlier ones. */
    List<String> settings(String... overrides) {
        return gateway.settings(withPublicHost(overrides));
    }

    TestApi startInJvm(String... overrides) {
        return gateway.startInJvm(withPublicHost(overrides));
    }

    private static String[] withPublicHost(String... overrides) {
        List<String> all = new ArrayList<>(List.of("--gateway.link.public-host=gateway.example.test"));
        all.addAll(List.of(overrides));
        return all.toArray(String[]::new);
    }

    <T> T bean(Class<T> type) {
        return gateway.bean(type);
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
        gateway.stopInJvm();
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
        String[] last = new String[1];
        TestGateway.waitFor(timeout, () -> what + ": " + last[0], () -> {
            try {
                last[0] = complaint.get();
            }
            catch (RuntimeException e) {
                last[0] = e.toString();
            }
            return last[0] == null;
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        try {
            stopControlPlane();
        }
        catch (RuntimeException e) {
            // keep cleaning up
        }
        gateway.close();
    }
}
