package org.selfhostedgateway.link;

import java.util.List;

import org.selfhostedgateway.ports.PortsInUse;
import org.selfhostedgateway.ports.PortsInUse.PublishedPort;
import org.selfhostedgateway.ports.PortsProperties;

import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Decides whether a link may have these raw ports, before anything is stored: each entry must work as written,
 * and no public port may be one the gateway needs itself or one that another link or any container holds.
 */
@Component
class RawPorts {

    private final PortsProperties properties;
    private final List<PortsInUse> portsInUse;
    private final LinkRepository links;
    private final Environment environment;

    RawPorts(PortsProperties properties, List<PortsInUse> portsInUse, LinkRepository links,
            Environment environment) {
        this.properties = properties;
        this.portsInUse = portsInUse;
        this.links = links;
        this.environment = environment;
    }

    /** The port the API really listens on (server.port may be 0: a free port chosen at start). */
    private int apiPort() {
        return environment.getProperty("local.server.port", Integer.class,
                environment.getProperty("server.port", Integer.class, 8080));
    }

    /**
     * Throws {@link PortRefusedException} for the first entry that cannot be given to link {@code linkId} (null for a
     * new link).
     */
    void check(String linkId, List<PortMapping> entries) {
        for (int i = 0; i < entries.size(); i++) {
            PortMapping entry = entries.get(i);
            checkShape(entry);
            for (int j = 0; j < i; j++) {
                PortMapping earlier = entries.get(j);
                if (earlier.protocol().equals(entry.protocol()) && earlier.publicPort() <= entry.lastPublicPort()
                        && entry.publicPort() <= earlier.lastPublicPort()) {
                    throw refused(HttpStatus.BAD_REQUEST, entry, Math.max(entry.publicPort(), earlier.publicPort()),
                            "request", entry.describe() + " overlaps " + earlier.describe() + " in the same request");
                }
            }
            checkGatewayPorts(entry);
        }
        for (PortMapping entry : entries) {
            List<PortHolder> holders = links.findPortHolders(entry.protocol(), entry.publicPort(),
                    entry.lastPublicPort(), linkId == null ? "" : linkId);
            if (!holders.isEmpty()) {
                PortHolder holder = holders.get(0);
                throw refused(HttpStatus.CONFLICT, entry, holder.port(), "link", entry.protocol() + " port "
                        + holder.port() + " is taken by the link of " + holder.fqdn() + " (" + holder.linkId()
                        + "): remove it there first").with("linkId", holder.linkId());
            }
        }
        List<PublishedPort> published = portsInUse.stream().flatMap(source -> source.publishedPorts().stream())
                .toList();
        for (PortMapping entry : entries) {
            for (PublishedPort port : published) {
                // This gateway's link containers are left out: a stored link's ports were checked above, and the
                // container of a link just deleted or changed is going (the reconciler removes it before it deploys).
                if (port.linkId() == null && port.protocol().equals(entry.protocol())
                        && port.port() >= entry.publicPort() && port.port() <= entry.lastPublicPort()) {
                    throw refused(HttpStatus.CONFLICT, entry, port.port(), "container", entry.protocol() + " port "
                            + port.port() + " is published by the container " + port.holder()
                            + " on this Docker engine").with("container", port.holder());
                }
            }
        }
    }

    private void checkShape(PortMapping entry) {
        int last = entry.lastPublicPort();
        if (last < entry.publicPort()) {
            throw refused(HttpStatus.BAD_REQUEST, entry, last, "range", "publicPortEnd " + last
                    + " is below publicPort " + entry.publicPort());
        }
        if (entry.size() > properties.rangeMax()) {
            throw refused(HttpStatus.BAD_REQUEST, entry, last, "rangeMax", entry.describe() + " spans "
                    + entry.size() + " ports; at most " + properties.rangeMax() + " are allowed in one entry "
                    + "(GATEWAY_PORTS_RANGE_MAX)").with("rangeMax", String.valueOf(properties.rangeMax()));
        }
        int targetPort = Integer.parseInt(entry.target().substring(entry.target().lastIndexOf(':') + 1));
        if (targetPort + entry.size() - 1 > 65535) {
            throw refused(HttpStatus.BAD_REQUEST, entry, last, "target", "the target range of " + entry.describe()
                    + " starting at " + entry.target() + " passes port 65535");
        }
        if (entry.proxyProtocol() != null && (!"tcp".equals(entry.protocol()) || entry.size() > 1)) {
            throw refused(HttpStatus.BAD_REQUEST, entry, entry.publicPort(), "proxyProtocol",
                    "a PROXY protocol header is sent on one tcp port, not on " + entry.describe());
        }
    }

    private void checkGatewayPorts(PortMapping entry) {
        for (int reserved : new int[] {80, 443}) {
            if (entry.publicPort() <= reserved && reserved <= entry.lastPublicPort()) {
                throw refused(HttpStatus.CONFLICT, entry, reserved, "gateway", "port " + reserved
                        + " is the gateway's own (NGINX serves every link's HTTP and HTTPS on it)");
            }
        }
        int apiPort = apiPort();
        if (apiPort > 0 && entry.publicPort() <= apiPort && apiPort <= entry.lastPublicPort()) {
            throw refused(HttpStatus.CONFLICT, entry, apiPort, "api", "port " + apiPort
                    + " is this control plane's API port (GATEWAY_API_PORT)");
        }
        int overlap = Math.max(entry.publicPort(), properties.first());
        if (overlap <= Math.min(entry.lastPublicPort(), properties.last())) {
            throw refused(HttpStatus.CONFLICT, entry, overlap, "wireGuardRange", "port " + overlap + " is in "
                    + "the links' WireGuard range " + properties.describe() + " (GATEWAY_PORTS_FIRST.."
                    + "GATEWAY_PORTS_LAST), kept for links' tunnels");
        }
    }

    private static PortRefusedException refused(HttpStatus status, PortMapping entry, int port, String conflict,
            String detail) {
        return new PortRefusedException(status, entry, port, conflict, detail);
    }
}
