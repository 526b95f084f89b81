package org.selfhostedgateway.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.selfhostedgateway.client.model.PortMapping;
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
    /**
     * Raw TCP and UDP ports on the gateway that go to this container, separated by spaces or commas:
     * {@code tcp:25565}, {@code udp:50100-50199}, {@code tcp:2222=22} (public 2222 to the container's 22),
     * {@code tcp:25565/proxy-v2} (a PROXY header with the visitor's address first). Default: none.
     */
    static final String PORTS = "selfhosted-gateway.ports";
    /** More public names for the same service, separated by spaces or commas; each gets its own certificate. */
    static final String ALIASES = "selfhosted-gateway.aliases";

    /** Only these visitor networks (CIDRs or addresses, separated by spaces or commas); default: everyone. */
    static final String ALLOW = "selfhosted-gateway.allow";
    /** These visitor networks are refused at the gateway; deny wins over allow. */
    static final String DENY = "selfhosted-gateway.deny";
    /**
     * HTTP basic-auth users asked for at home, {@code name:bcrypt-hash} separated by spaces or commas, as
     * {@code htpasswd -nbB name password} prints them (in a compose file write each {@code $} as {@code $$}).
     */
    static final String BASIC_AUTH = "selfhosted-gateway.basic-auth";

    /** One entry of {@link #PORTS}: protocol, public port or range, the container's port, a PROXY header. */
    private static final Pattern PORT_ENTRY = Pattern.compile(
            "^(tcp|udp):([0-9]{1,5})(?:-([0-9]{1,5}))?(?:=([0-9]{1,5}))?(?:/proxy-(v[12]))?$");
    /** The API's own limit is on public ports per entry; this only keeps a runaway label from a long parse. */
    private static final int MAX_PORT_ENTRIES = 100;

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
    record Wish(LabelledContainer container, String fqdn, List<String> aliases, String expose, List<PortMapping> ports,
            Access access, String network, String refusal) {

        boolean refused() {
            return refusal != null;
        }
    }

    static Wish read(LabelledContainer container) {
        String fqdn = container.labels().getOrDefault(FQDN, "").strip().toLowerCase(Locale.ROOT);
        if (fqdn.isEmpty()) {
            return refused(container, null, "the label " + FQDN + " is empty");
        }
        // The container's name is what Docker's DNS answers on a user-defined network, and it survives a
        // recreation by compose; a name the gateway would refuse falls back to the id, which Docker answers too.
        String host = HOST_NAME.matcher(container.name()).matches() ? container.name()
                : container.id().substring(0, 12);
        try {
            String network = network(container);
            int port = port(container);
            return new Wish(container, fqdn, aliases(container), host + ":" + port, ports(container, host),
                    access(container), network, null);
        }
        catch (Refusal refusal) {
            return refused(container, fqdn, refusal.getMessage());
        }
    }

    /**
     * Visitor access rules from the labels, as the gateway's PUT /links/{id}/access takes them; the gateway judges
     * each network and hash. {@code users} maps each name to its bcrypt hash, in the order given.
     */
    record Access(List<String> allow, List<String> deny, List<Map.Entry<String, String>> users) {

        static final Access NONE = new Access(List.of(), List.of(), List.of());

        boolean none() {
            return allow.isEmpty() && deny.isEmpty() && users.isEmpty();
        }
    }

    private static Access access(LabelledContainer container) throws Refusal {
        List<Map.Entry<String, String>> users = new ArrayList<>();
        for (String entry : list(container, BASIC_AUTH, false)) {
            int colon = entry.indexOf(':');
            if (colon < 1 || colon == entry.length() - 1) {
                throw new Refusal(BASIC_AUTH + ": '" + (colon < 1 ? entry : entry.substring(0, colon + 1) + "...")
                        + "' is not name:bcrypt-hash, as htpasswd -nbB name password prints it");
            }
            users.add(Map.entry(entry.substring(0, colon), entry.substring(colon + 1)));
        }
        return new Access(list(container, ALLOW, true), list(container, DENY, true), List.copyOf(users));
    }

    /** A label's entries, separated by spaces or commas; none when the label is absent or blank. */
    private static List<String> list(LabelledContainer container, String label, boolean lowerCase) {
        String value = container.labels().getOrDefault(label, "").strip();
        value = lowerCase ? value.toLowerCase(Locale.ROOT) : value;
        return value.isEmpty() ? List.of() : List.of(value.split("[\\s,]+"));
    }

    /** The extra names, as the gateway stores them (lower case, in order); the gateway judges each. */
    private static List<String> aliases(LabelledContainer container) {
        return list(container, ALIASES, true);
    }

    /** The raw ports the label asks for, each to this container; the gateway judges whether it can give them. */
    private static List<PortMapping> ports(LabelledContainer container, String host) throws Refusal {
        String label = container.labels().getOrDefault(PORTS, "").strip().toLowerCase(Locale.ROOT);
        List<PortMapping> ports = new ArrayList<>();
        if (label.isEmpty()) {
            return ports;
        }
        String[] entries = label.split("[\\s,]+");
        if (entries.length > MAX_PORT_ENTRIES) {
            throw new Refusal(PORTS + " has " + entries.length + " entries; at most " + MAX_PORT_ENTRIES
                    + " (a range such as udp:50100-50199 is one)");
        }
        for (String entry : entries) {
            Matcher parts = PORT_ENTRY.matcher(entry);
            if (!parts.matches()) {
                throw new Refusal(PORTS + ": '" + entry + "' is not an entry such as tcp:25565, udp:50100-50199, "
                        + "tcp:2222=22 or tcp:25565/proxy-v2");
            }
            int publicPort = port(parts.group(2), entry);
            Integer publicPortEnd = parts.group(3) == null ? null : port(parts.group(3), entry);
            if (publicPortEnd != null && publicPortEnd < publicPort) {
                throw new Refusal(PORTS + ": '" + entry + "' is a range that ends before it starts");
            }
            int containerPort = parts.group(4) == null ? publicPort : port(parts.group(4), entry);
            if (publicPortEnd != null && containerPort + (publicPortEnd - publicPort) > 65535) {
                throw new Refusal(PORTS + ": '" + entry + "' would go past the container's port 65535");
            }
            ports.add(new PortMapping().protocol(PortMapping.ProtocolEnum.fromValue(parts.group(1)))
                    .publicPort(publicPort)
                    .publicPortEnd(publicPortEnd == null || publicPortEnd == publicPort ? null : publicPortEnd)
                    .target(host + ":" + containerPort)
                    .proxyProtocol(parts.group(5) == null ? null
                            : PortMapping.ProxyProtocolEnum.fromValue(parts.group(5))));
        }
        return ports;
    }

    private static int port(String digits, String entry) throws Refusal {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new Refusal(PORTS + ": '" + entry + "' names port " + digits + ", not a port from 1 to 65535");
        }
        return port;
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
        return new Wish(container, fqdn, List.of(), null, List.of(), Access.NONE, null, reason);
    }
}
