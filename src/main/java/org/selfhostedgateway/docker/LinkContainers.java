package org.selfhostedgateway.docker;

import java.util.Map;
import java.util.Optional;

import org.selfhostedgateway.link.LinkDeployment;

/**
 * The gateway side of links as containers: deploy, remove, list. Every call is safe to repeat. Failures of the
 * engine itself surface as {@link DockerUnavailableException}; a container that cannot be made as
 * {@link LinkContainerException} with a reason a user can act on.
 */
public interface LinkContainers {

    /** Creates and starts the link's container, or starts it when it exists but is stopped. */
    void deploy(LinkDeployment link);

    /** Removes the link's container, if any. */
    void remove(String linkId);

    /** This gateway's link containers, by link id: one list call to the engine. */
    Map<String, LinkContainer> list();

    /**
     * The client peer of a running link container as WireGuard reports it, or empty when the container has no
     * WireGuard interface yet. Read from wireguard-go's control socket in the link's state directory; with the
     * kernel's WireGuard, which has none, from one exec of {@code wg show wg0 dump}. Never carries a key.
     */
    Optional<WireGuardPeer> wireGuardPeer(LinkContainer container);

    /**
     * Keeps where the link's client was last seen beside its keys, where its container reads it when it starts again
     * (an engine restart, a reboot) to greet the client there at once.
     */
    void recordClientEndpoint(String linkId, String endpoint);

    /**
     * Why a container keeps failing, in its own words: from what it logged since its last start, the first line
     * that reports an error (the cause comes before the lines that follow from it), else the last line.
     */
    Optional<String> lastError(String containerId);

    /** The host name under which NGINX reaches a link's container on the gateway network. */
    static String containerName(String linkId) {
        return "sg-link-" + linkId;
    }

    /**
     * One link container as the engine reports it; {@code state} is Docker's word (running, exited, ...), {@code ports}
     * the raw ports it was made for (as {@link LinkDeployment#gatewayPorts()}), {@code gatewayPublicKey} the keys it
     * runs with (null for a container made before key rotation existed).
     */
    record LinkContainer(String linkId, String containerId, boolean running, String state, String ports,
            String gatewayPublicKey) {

        public LinkContainer(String linkId, String containerId, boolean running, String state, String ports) {
            this(linkId, containerId, running, state, ports, null);
        }

        /**
         * It was made for other raw ports (Docker cannot add ports) or other keys (the old ones must stop working)
         * than the link has now: it must be replaced. A container made before its keys were labelled ran the only
         * keys its link ever had then; it is replaced at its link's next change, not all at once at an upgrade.
         */
        public boolean madeFor(LinkDeployment link) {
            return link.gatewayPorts().equals(ports)
                    && (gatewayPublicKey == null || gatewayPublicKey.equals(link.gatewayPublicKey()));
        }

        /** It exited and the engine's restart policy is about to start it again: it is crash-looping. */
        public boolean restarting() {
            return "restarting".equals(state);
        }
    }
}
