package org.selfhostedgateway.docker;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Finds the gateway NGINX containers that serve our network. */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class DockerNginxContainers implements NginxContainers {

    private final DockerEngine engine;

    DockerNginxContainers(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public List<String> running() {
        return runningInstances().stream().map(DockerNginxContainers::name).toList();
    }

    @Override
    public Optional<String> address() {
        return runningInstances().stream()
                .map(instance -> instance.getNetworkSettings() == null ? null
                        : instance.getNetworkSettings().getNetworks().get(engine.properties().network()))
                .filter(network -> network != null && network.getIpAddress() != null
                        && !network.getIpAddress().isEmpty())
                .map(ContainerNetwork::getIpAddress).findFirst();
    }

    private List<Container> runningInstances() {
        return engine.call(() -> engine.client().listContainersCmd()
                .withLabelFilter(Map.of(DockerLinkContainers.LABEL_ROLE, "nginx"))
                .withNetworkFilter(List.of(engine.properties().network()))
                .withStatusFilter(List.of("running"))
                .exec());
    }

    @Override
    public String whereExpected() {
        return "on the Docker network " + engine.properties().network() + " (label " + DockerLinkContainers.LABEL_ROLE
                + "=nginx)";
    }

    private static String name(Container container) {
        String[] names = container.getNames();
        return names != null && names.length > 0 ? names[0].replaceFirst("^/", "") : container.getId();
    }
}
