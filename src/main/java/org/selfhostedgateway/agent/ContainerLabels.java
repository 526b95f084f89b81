package org.selfhostedgateway.agent;

import java.util.Locale;
import java.util.regex.Pattern;

import org.selfhostedgateway.docker.HomeContainers.LabelledContainer;

/**
 * The labels a user puts on a container to publish it. Their names are a public interface: keep them stable.
 * The fqdn itself is judged by the gateway (its answer to the create is the reason a user sees), the rest here.
 */
final class ContainerLabels {

    /** The public name; the only label needed. */
    static final String FQDN = "selfhosted-gateway.fqdn";
    /** The container's TCP port to publish; default: the only port it exposes. */
    static final String PORT = "selfhosted-gateway.port";
    /** The network the client-link joins; default: the only user-defined network the container is on. */
    static final String NETWORK = "selfhosted-gateway.network";

    /** Names Docker's DNS answers and the gateway takes as the host of an expose (host:port). */
    private static final Pattern HOST_NAME = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*$");

    private ContainerLabels() {
    }

    /**
     * What a labelled container asks for: a link for {@code fqdn} to {@code expose} on {@code network}, or, when
     * {@code refusal} is set, why it cannot have one ({@code fqdn} is still set when that label was readable, so a
     * link already made for it is left alone rather than dropped for a typo in another label).
     */
    record Wish(LabelledContainer container, String fqdn, String expose, String network, String refusal) {

        boolean refused() {
            return refusal != null;
        }
    }

    static Wish read(LabelledContainer container) {
        String fqdn = container.labels().getOrDefault(FQDN, "").strip().toLowerCase(Locale.ROOT);
        if (fqdn.isEmpty()) {
            return refused(container, null, "the label " + FQDN + " is empty");
        }
        String network;
        int port;
        try {
            network = network(container);
            port = port(container);
        }
        catch (Refusal refusal) {
            return refused(container, fqdn, refusal.getMessage());
        }
        // The container's name is what Docker's DNS answers on a user-defined network, and it survives a
        // recreation by compose; a name the gateway would refuse falls back to the id, which Docker answers too.
        String host = HOST_NAME.matcher(container.name()).matches() ? container.name()
                : container.id().substring(0, 12);
        return new Wish(container, fqdn, host + ":" + port, network, null);
    }

    private static String network(LabelledContainer container) throws Refusal {
        String wanted = container.labels().getOrDefault(NETWORK, "").strip();
        if (!wanted.isEmpty()) {
            if (!container.networks().contains(wanted)) {
                throw new Refusal(NETWORK + "=" + wanted + " is not a network this container is on "
                        + container.networks());
            }
            return wanted;
        }
        if (container.networks().size() == 1) {
            return container.networks().get(0);
        }
        if (container.networks().isEmpty()) {
            throw new Refusal("the container is on no user-defined network (Docker's default bridge has no names): start it "
                    + "on a network of its own (docker network create; docker run --network), as compose does");
        }
        throw new Refusal("the container is on several networks " + container.networks()
                + ": choose one with the label " + NETWORK);
    }

    private static int port(LabelledContainer container) throws Refusal {
        String label = container.labels().getOrDefault(PORT, "").strip();
        if (label.isEmpty()) {
            if (container.exposedTcpPorts().size() == 1) {
                return container.exposedTcpPorts().iterator().next();
            }
            throw new Refusal("no label " + PORT + ", and the container exposes " + (container.exposedTcpPorts().isEmpty()
                    ? "no TCP port" : "several TCP ports " + container.exposedTcpPorts()) + ": say which one");
        }
        if (!label.matches("^[0-9]{1,5}$") || Integer.parseInt(label) < 1 || Integer.parseInt(label) > 65535) {
            throw new Refusal(PORT + "=" + label + " is not a port from 1 to 65535");
        }
        return Integer.parseInt(label);
    }

    /** Why a label cannot be used, in words for the container's owner. */
    private static final class Refusal extends Exception {

        Refusal(String reason) {
            super(reason, null, false, false);
        }
    }

    private static Wish refused(LabelledContainer container, String fqdn, String reason) {
        return new Wish(container, fqdn, null, null, reason);
    }
}
