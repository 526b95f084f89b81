package org.selfhostedgateway.docker;

import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.Container;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Runs NGINX's own check and reload inside the gateway NGINX containers that serve our network. */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class DockerNginxContainers implements NginxContainers {

    private static final String LIVE_MAP = "/etc/nginx/links/links.map";
    private static final java.util.regex.Pattern CANDIDATE_NAME = java.util.regex.Pattern.compile(
            "^[a-z][a-z0-9.-]{0,63}$");

    private final DockerEngine engine;

    DockerNginxContainers(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public CommandResult checkConfig(String candidateMapFileName) {
        if (!CANDIDATE_NAME.matcher(candidateMapFileName).matches()) {
            throw new IllegalArgumentException("Not a map file name: " + candidateMapFileName);
        }
        // NGINX's own configuration, but including the candidate instead of the live map: the live file is only
        // replaced once this passes.
        return inEvery("nginx -t with the new map", "sh", "-c",
                "sed \"s#" + LIVE_MAP + "#/etc/nginx/links/$1#g\" /etc/nginx/nginx.conf "
                        + "> /tmp/selfhosted-gateway-check.conf && nginx -t -q -c /tmp/selfhosted-gateway-check.conf",
                "check", candidateMapFileName);
    }

    @Override
    public CommandResult reload() {
        return inEvery("nginx -s reload", "nginx", "-s", "reload");
    }

    @Override
    public java.util.Optional<String> address() {
        return runningInstances().stream()
                .map(instance -> instance.getNetworkSettings() == null ? null
                        : instance.getNetworkSettings().getNetworks().get(engine.properties().network()))
                .filter(network -> network != null && network.getIpAddress() != null
                        && !network.getIpAddress().isEmpty())
                .map(com.github.dockerjava.api.model.ContainerNetwork::getIpAddress).findFirst();
    }

    /** Names of the running gateway NGINX containers on the gateway network. */
    List<String> running() {
        return runningInstances().stream().map(DockerNginxContainers::name).toList();
    }

    private List<Container> runningInstances() {
        return engine.call(() -> engine.client().listContainersCmd()
                .withLabelFilter(Map.of(DockerLinkContainers.LABEL_ROLE, "nginx"))
                .withNetworkFilter(List.of(engine.properties().network()))
                .withStatusFilter(List.of("running"))
                .exec());
    }

    /** Runs the command in every instance; {@code what} names it in messages that users read. */
    private CommandResult inEvery(String what, String... command) {
        List<Container> instances = runningInstances();
        if (instances.isEmpty()) {
            return new CommandResult(false, "No gateway NGINX container is running on the Docker network "
                    + engine.properties().network() + " (label " + DockerLinkContainers.LABEL_ROLE + "=nginx)");
        }
        for (Container instance : instances) {
            CommandResult result = engine.exec(instance.getId(), command);
            if (!result.success()) {
                return new CommandResult(false, what + " failed in " + name(instance) + ": "
                        + result.output());
            }
        }
        return new CommandResult(true, "");
    }

    private static String name(Container container) {
        String[] names = container.getNames();
        return names != null && names.length > 0 ? names[0].replaceFirst("^/", "") : container.getId();
    }
}
