package org.selfhostedgateway.docker;

import java.util.Map;

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

    /** This gateway's link containers, by link id. */
    Map<String, LinkContainer> list();

    /** The host name under which NGINX reaches a link's container on the gateway network. */
    static String containerName(String linkId) {
        return "sg-link-" + linkId;
    }

    /** One link container as the engine reports it. */
    record LinkContainer(String linkId, String containerId, boolean running) {
    }
}
