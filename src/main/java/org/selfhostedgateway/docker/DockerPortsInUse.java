package org.selfhostedgateway.docker;

import java.util.HashSet;
import java.util.Set;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import org.selfhostedgateway.ports.PortsInUse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * UDP ports that any container on this engine publishes, so a new link never gets a port that another service
 * (a second WireGuard, a game server) already holds. An unreachable engine fails the create with 503 before
 * anything is stored.
 */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class DockerPortsInUse implements PortsInUse {

    private final DockerEngine engine;

    DockerPortsInUse(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public Set<Integer> udpPortsInUse() {
        Set<Integer> ports = new HashSet<>();
        for (Container container : engine.call(() -> engine.client().listContainersCmd().withShowAll(true).exec())) {
            for (ContainerPort port : container.getPorts()) {
                if ("udp".equals(port.getType()) && port.getPublicPort() != null) {
                    ports.add(port.getPublicPort());
                }
            }
        }
        return ports;
    }
}
