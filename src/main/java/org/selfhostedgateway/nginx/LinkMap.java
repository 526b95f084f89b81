package org.selfhostedgateway.nginx;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import org.selfhostedgateway.docker.LinkContainers;
import org.selfhostedgateway.link.LinkRoute;
import org.selfhostedgateway.link.VisitorAddress;

/**
 * Renders the whole {@code links.map} that NGINX includes in its SNI and Host maps: one line per name of each link
 * (its main fqdn and each alias, all to the same container),
 * {@code "fqdn" "sg-link-<id>/pp";} for a link whose home side reads the visitor's address from a PROXY line, and
 * {@code "fqdn" "sg-link-<id>";} for one made before (NGINX sends it none). Values are checked again here, so that
 * nothing but a host name and a container name can ever reach NGINX, whatever a caller passes.
 */
final class LinkMap {

    static final String FILE_NAME = "links.map";

    /** A new map waits here, beside the live one, until NGINX has accepted it. */
    static final String CANDIDATE_FILE_NAME = "links.map.next";

    /** What NGINX's stream map looks for to send a PROXY line (images/gateway-nginx/nginx.conf). */
    static final String PROXY_PROTOCOL_SUFFIX = "/pp";

    private static final Pattern FQDN = Pattern.compile("^[a-z0-9][a-z0-9.-]{0,252}$");
    static final Pattern LINK_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,54}$");
    private static final String HEADER = "# Written by selfhosted-gateway from its database on every change. "
            + "Do not edit: it is replaced whole.\n";

    private LinkMap() {
    }

    static String render(List<LinkRoute> routes) {
        StringBuilder map = new StringBuilder(HEADER.length() + routes.size() * 96).append(HEADER);
        routes.stream().sorted(Comparator.comparing(LinkRoute::fqdn)).forEach(route -> {
            require(FQDN, route.fqdn(), "fqdn");
            require(LINK_ID, route.linkId(), "link id");
            map.append('"').append(route.fqdn()).append("\" \"")
                    .append(LinkContainers.containerName(route.linkId()))
                    .append(route.visitorAddress() == VisitorAddress.PROXY_PROTOCOL ? PROXY_PROTOCOL_SUFFIX : "")
                    .append("\";\n");
        });
        return map.toString();
    }

    /** How many routes a rendered map holds: the check that a written file is whole. */
    static long entries(String map) {
        return map.lines().filter(line -> line.startsWith("\"")).count();
    }

    /** Nothing but a value of this shape reaches an NGINX file, whatever a caller passes. */
    static void require(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("Refusing to write a " + what + " that is not safe for NGINX: "
                    + value);
        }
    }
}
