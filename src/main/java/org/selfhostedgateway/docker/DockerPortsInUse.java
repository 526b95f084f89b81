package org.selfhostedgateway.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import org.selfhostedgateway.ports.PortsInUse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Ports that any container on this engine publishes, so a new link never gets a WireGuard port, and a raw port is
 * never promised, that another service (a second WireGuard, a game server) already holds. An unreachable engine
 * fails the change with 503 before anything is stored.
 */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class DockerPortsInUse implements PortsInUse {

    private final DockerEngine engine;

    DockerPortsInUse(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public List<PublishedPort> publishedPorts() {
        List<PublishedPort> ports = new ArrayList<>();
        for (Container container : engine.call(() -> engine.client().listContainersCmd().withShowAll(true).exec())) {
            Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
            String linkId = DockerLinkContainers.ROLE_GATEWAY_LINK.equals(labels.get(DockerLinkContainers.LABEL_ROLE))
                    && engine.properties().gatewayId().equals(labels.get(DockerLinkContainers.LABEL_GATEWAY))
                    ? labels.get(DockerLinkContainers.LABEL_LINK_ID) : null;
            String name = container.getNames() == null || container.getNames().length == 0 ? container.getId()
                    : container.getNames()[0].replaceFirst("^/", "");
            for (ContainerPort port : container.getPorts()) {
                if (port.getPublicPort() != null && port.getType() != null) {
                    ports.add(new PublishedPort(port.getType(), port.getPublicPort(), name, linkId));
                }
            }
        }
        return ports;
    }
}
