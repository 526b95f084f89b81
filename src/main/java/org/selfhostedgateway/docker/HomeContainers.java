package org.selfhostedgateway.docker;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The home side's containers as the home agent (issue 16) sees them: labelled containers to publish, and the
 * client-link containers the agent runs for them. Engine failures surface as {@link DockerUnavailableException}.
 */
public interface HomeContainers extends AutoCloseable {

    /** Marks every container and volume an agent makes; the value is the agent's id. */
    String LABEL_AGENT = "io.selfhosted-gateway.agent";
    String LABEL_LINK_ID = "io.selfhosted-gateway.agent.link-id";
    String LABEL_FQDN = "io.selfhosted-gateway.agent.fqdn";
    /** A digest of what the agent started the client-link with (never the key itself). */
    String LABEL_CONFIG = "io.selfhosted-gateway.agent.config";

    /** The engine at {@code host} ({@code unix:///var/run/docker.sock}, {@code tcp://...}). */
    static HomeContainers connect(String host) {
        return new DockerHomeContainers(DockerConfiguration.connect(host), host);
    }

    /** Every container (running or not) that carries this label, inspected. */
    List<LabelledContainer> withLabel(String label);

    /** The client-link containers this agent made. */
    List<ClientLinkContainer> clientLinks(String agentId);

    /** Creates, fills and starts a client-link container; one of the same name is replaced. */
    void runClientLink(ClientLinkSpec spec);

    void start(String containerId);

    /** Removes a container, running or not; one already gone is fine. */
    void remove(String containerId);

    /**
     * Calls {@code changed} after each container event (create, start, die, destroy, rename) until closed or the
     * stream ends; {@code ended} gets the reason it ended.
     */
    AutoCloseable followContainerEvents(Runnable changed, Consumer<Throwable> ended);

    @Override
    void close();

    /**
     * A container with labels. {@code networks}: the user-defined networks it is on (not bridge, host or none),
     * where containers find each other by name; {@code exposedTcpPorts}: what its image or run options expose.
     */
    record LabelledContainer(String id, String name, Instant created, String state, Map<String, String> labels,
            List<String> networks, Set<Integer> exposedTcpPorts) {
    }

    /** {@code state} is Docker's word: running, restarting, exited, created, ... */
    record ClientLinkContainer(String id, String name, String linkId, String fqdn, String config, String state) {
    }

    /**
     * A client-link to run: {@code files} are copied into the container before it starts (absolute path to
     * content; keys among them are readable by root only), {@code volume} is mounted at {@code /data};
     * {@code capabilities}, {@code devices} and {@code sysctls} as compose writes them ({@code NET_ADMIN},
     * {@code /dev/net/tun:/dev/net/tun}).
     */
    record ClientLinkSpec(String name, String image, String network, Map<String, String> environment,
            Map<String, byte[]> files, String volume, Map<String, String> labels, List<String> capabilities,
            List<String> devices, Map<String, String> sysctls) {
    }
}
