package org.selfhostedgateway.link;

import org.selfhostedgateway.keys.KeyVault;
import org.springframework.stereotype.Component;

/**
 * A link's home side as a wg-quick config, for running it without Docker (a router, a VM): the same tunnel the
 * client-link image sets up, and in comments what the home machine must then serve on its tunnel address.
 */
@Component
class WireGuardConfigs {

    /** The client-link's and gateway-link's LINK_TUNNEL_CLIENT_IP and LINK_TUNNEL_GATEWAY_IP (images/README.md). */
    static final String CLIENT_TUNNEL_ADDRESS = "10.231.0.2";
    static final String GATEWAY_TUNNEL_ADDRESS = "10.231.0.1";
    /** The client-link uses its uplink's MTU minus WireGuard's 80 bytes: 1420 behind the usual 1500. */
    static final int MTU = 1420;
    /** As the client-link: keeps the NAT mapping at home open, so the gateway can always reach it. */
    static final int PERSISTENT_KEEPALIVE = 25;


    private final LinkProperties properties;
    private final KeyVault keyVault;

    WireGuardConfigs(LinkProperties properties, KeyVault keyVault) {
        this.properties = properties;
        this.keyVault = keyVault;
    }

    /**
     * The config; with the client private key the gateway generated only when {@code withClientPrivateKey}, else
     * with a comment in its place that says which key to put there.
     */
    String render(Link link, boolean withClientPrivateKey) {
        StringBuilder config = new StringBuilder();
        String names = ComposeSnippets.linkDomain(link).replace(",", ", ");
        config.append("# Home side of the link ").append(link.getFqdn()).append(" (").append(link.getId())
                .append(") as a wg-quick config.\n")
                .append("# Save it as /etc/wireguard/sg0.conf and run: wg-quick up sg0\n")
                .append("# Then serve on ").append(CLIENT_TUNNEL_ADDRESS)
                .append(" (README, \"Without Docker at home\"):\n")
                .append("#   443: HTTPS for ").append(names)
                .append(" with a certificate for each name (the gateway passes TLS through untouched)");
        if (link.getVisitorAddress() == VisitorAddress.PROXY_PROTOCOL) {
            config.append(";\n#        every connection starts with a PROXY protocol v1 line naming the visitor");
        }
        config.append("\n#   80: HTTP for ").append(names)
                .append(" (ACME HTTP-01 challenges, and a redirect to HTTPS);")
                .append(" the visitor's address is in X-Real-IP\n");
        for (PortMapping port : link.getPorts()) {
            config.append("#   ").append(port.describe()).append(": forward to ").append(port.target())
                    .append(port.lastPublicPort() == port.publicPort() ? "" : " (and on, port by port)")
                    .append(port.proxyProtocol() == null ? ""
                            : " (each connection starts with a PROXY protocol " + port.proxyProtocol() + " header)")
                    .append('\n');
        }
        config.append("# Only the gateway (").append(GATEWAY_TUNNEL_ADDRESS)
                .append(") reaches this address, through the tunnel.\n\n");

        config.append("[Interface]\n");
        if (link.getEncryptedClientPrivateKey() != null && withClientPrivateKey) {
            config.append("PrivateKey = ").append(keyVault.decrypt(link.getEncryptedClientPrivateKey())).append('\n');
        }
        else if (link.getEncryptedClientPrivateKey() != null) {
            config.append("# PrivateKey = (put here the private key that the gateway generated for ")
                    .append(link.getClientPublicKey()).append(": only the admin")
                    .append(link.getCreatedByTokenId() == null ? "" : " and " + link.getCreatedBy()
                            + ", which created the link,")
                    .append(" can read it, in this config or the compose snippet)\n");
        }
        else {
            config.append("# PrivateKey = (put here your private key, the one that belongs to ")
                    .append(link.getClientPublicKey()).append(")\n");
        }
        config.append("Address = ").append(CLIENT_TUNNEL_ADDRESS).append("/30\n")
                .append("# Your uplink's MTU minus 80: 1420 behind 1500; lower it behind a smaller one ")
                .append("(1320 behind 1400, 1412 behind PPPoE's 1492).\n")
                .append("MTU = ").append(MTU).append("\n\n");

        config.append("[Peer]\n")
                .append("# The gateway side of the link\n")
                .append("PublicKey = ").append(link.getGatewayPublicKey()).append('\n')
                .append("Endpoint = ").append(properties.endpoint(link.getUdpPort())).append('\n')
                .append("AllowedIPs = ").append(GATEWAY_TUNNEL_ADDRESS).append("/32\n")
                .append("PersistentKeepalive = ").append(PERSISTENT_KEEPALIVE).append('\n');
        return config.toString();
    }
}
