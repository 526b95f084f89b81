package org.selfhostedgateway.link;

/**
 * The only shapes of text that a link accepts. Values that pass these reach NGINX maps, Caddyfiles and container
 * environments, so none of them admits whitespace, quotes, semicolons, braces or anything outside ASCII.
 */
final class LinkPatterns {

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

    /** RFC 1123 host name with at least two labels, the last starting with a letter (so no bare IPv4). */
    static final String FQDN = "^(?=.{1,253}$)(?:" + LABEL + "\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";

    /** A compose service name (may hold underscores), a host name, or an IPv4 address. */
    private static final String SERVICE_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?";
    private static final String NAME_OR_IPV4 = SERVICE_LABEL + "(?:\\." + SERVICE_LABEL + ")*";
    private static final String IPV6 = "\\[[0-9A-Fa-f:.]{2,45}\\]";
    private static final String PORT =
            "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";

    /** host:port with a port from 1 to 65535. */
    static final String EXPOSE = "^(?=.{3,261}$)(?:" + NAME_OR_IPV4 + "|" + IPV6 + "):" + PORT + "$";

    /** host:port of a raw port's target at home: a name or IPv4 address (the home side forwards IPv4 only). */
    static final String PORT_TARGET = "^(?=.{3,261}$)" + NAME_OR_IPV4 + ":" + PORT + "$";

    /** A WireGuard key as wg prints it: base64 of 32 bytes (43 characters, the last with 4 zero bits, and '='). */
    static final String WIREGUARD_KEY = "^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$";

    /** A DNS name or an IP address, for the gateway's public host. */
    static final String HOST = "^(?:" + NAME_OR_IPV4 + "|[0-9A-Fa-f:.]{2,45}|" + IPV6 + ")$";

    /** A Docker image reference such as registry:5000/owner/name:tag. */
    static final String IMAGE = "^[a-z0-9][a-z0-9._/:@-]{0,254}$";

    private LinkPatterns() {
    }
}
