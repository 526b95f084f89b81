package org.selfhostedgateway.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import org.selfhostedgateway.TestImages;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A home server for the home agent's tests: labelled demo apps on the fixture's home network, and what the agent
 * and the gateway made for them. Every container this makes carries the fixture's test label with this run's id;
 * {@link #removeEverything()} removes them with the agent's client-links and volumes.
 */
final class HomeSide {

    static final Duration FIRST_HTTPS = Duration.ofSeconds(120);

    private final DataPlaneFixture gateway;
    private final DockerClient docker = DockerClientFactory.instance().client();
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final String agentId = "e2e-" + run;

    HomeSide(DataPlaneFixture gateway) {
        this.gateway = gateway;
    }

    String agentId() {
        return agentId;
    }

    /** Like {@code docker run --label ...} of the demo app (busybox httpd), serving one page on the home network. */
    void runLabelled(String name, String page, Map<String, String> labels) {
        runLabelled(name, page, labels, 8000);
    }

    void runLabelled(String name, String page, Map<String, String> labels, int port) {
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(testLabels());
        String id = docker.createContainerCmd(TestImages.image("test-demo")).withName(containerName(name))
                .withLabels(all)
                .withCmd("sh", "-c", "printf '%s\\n' \"$0\" > /www/index.html && exec busybox httpd -f -p " + port
                        + " -h /www", page)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(gateway.homeNetworkName()))
                .exec().getId();
        docker.startContainerCmd(id).exec();
    }

    /**
     * Runs a labelled app and waits for its first HTTPS 200 through the gateway. The seconds from the run to the
     * agent's client-link for it (the agent's share: the event, the link, the container) and to that 200.
     */
    Timing runAndTimeFirstHttps(String name, String fqdn, String page) {
        long started = System.nanoTime();
        runLabelled(name, page, Map.of("selfhosted-gateway.fqdn", fqdn));
        DataPlaneFixture.waitFor(FIRST_HTTPS, "the agent's client-link for " + fqdn, () -> !clientLinksFor(fqdn)
                .isEmpty());
        double clientLink = (System.nanoTime() - started) / 1e9;
        gateway.waitForPage(fqdn, page, FIRST_HTTPS);
        return new Timing(clientLink, (System.nanoTime() - started) / 1e9);
    }

    record Timing(double clientLinkSeconds, double httpsSeconds) {
    }

    void removeLabelled(String name) {
        try {
            docker.removeContainerCmd(containerName(name)).withForce(true).exec();
        }
        catch (NotFoundException alreadyGone) {
            // fine
        }
    }

    String containerName(String name) {
        return "sg-e2e-" + run + "-" + name;
    }

    List<Container> clientLinks() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.selfhosted-gateway.agent", agentId)).exec();
    }

    List<Container> clientLinksFor(String fqdn) {
        return clientLinks().stream()
                .filter(container -> fqdn.equals(container.getLabels().get("io.selfhosted-gateway.agent.fqdn")))
                .toList();
    }

    Map<String, String> clientIdsByFqdn() {
        Map<String, String> ids = new HashMap<>();
        for (Container container : clientLinks()) {
            assertThat(ids.put(container.getLabels().get("io.selfhosted-gateway.agent.fqdn"), container.getId()))
                    .as("one client-link per name").isNull();
        }
        return ids;
    }

    List<JsonNode> links(String fqdn) {
        return StreamSupport.stream(gateway.api().get("/links?fqdn=" + fqdn).json().spliterator(), false).toList();
    }

    JsonNode onlyLink(String fqdn) {
        List<JsonNode> links = links(fqdn);
        assertThat(links).as("links for " + fqdn).hasSize(1);
        return links.get(0);
    }

    Map<String, String> linkIdsByFqdn() {
        Map<String, String> ids = new HashMap<>();
        for (JsonNode link : gateway.api().get("/links").json()) {
            assertThat(ids.put(link.get("fqdn").asString(), link.get("id").asString())).as("one link per name")
                    .isNull();
        }
        return ids;
    }

    /** The agent's health endpoint's answer (200 or 503, the body says which). */
    static JsonNode health(URI endpoint) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
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

    /** What the agent made of one container at its last pass, or null. */
    static JsonNode record(JsonNode health, String container) {
        for (JsonNode record : health.get("containers")) {
            if (container.equals(record.get("container").asString())) {
                return record;
            }
        }
        return null;
    }

    void removeEverything() {
        for (Container container : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DataPlaneFixture.TEST_LABEL + ".run", run)).exec()) {
            docker.removeContainerCmd(container.getId()).withForce(true).exec();
        }
        clientLinks().forEach(container -> docker.removeContainerCmd(container.getId()).withForce(true).exec());
        docker.listVolumesCmd().withFilter("label", List.of("io.selfhosted-gateway.agent=" + agentId)).exec()
                .getVolumes().forEach(volume -> docker.removeVolumeCmd(volume.getName()).exec());
    }

    /** Labels a container with this run's id, so {@link #removeEverything()} finds it. */
    Map<String, String> testLabels() {
        return Map.of(DataPlaneFixture.TEST_LABEL, "true", DataPlaneFixture.TEST_LABEL + ".run", run);
    }
}
