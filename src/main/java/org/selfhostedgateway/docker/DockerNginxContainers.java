package org.selfhostedgateway.docker;

import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.Container;

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
        return engine.call(() -> engine.client().listContainersCmd()
                .withLabelFilter(Map.of(DockerLinkContainers.LABEL_ROLE, "nginx"))
                .withNetworkFilter(List.of(engine.properties().network()))
                .withStatusFilter(List.of("running"))
                .exec()).stream().map(DockerNginxContainers::name).toList();
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
