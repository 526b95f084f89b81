package org.selfhostedgateway.link;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the data plane needs to run the gateway side of one link. Holds a decrypted private key: pass it to the
 * container runtime and nowhere else; it never appears in {@link #toString()}. {@code clientEndpoint} is where the
 * client was last seen (null if never); {@code ports} its raw ports; {@code gatewayPublicKey} names the keys the
 * container must run with (it changes with every key rotation, and it is no secret).
 */
public record LinkDeployment(String linkId, String fqdn, int udpPort, String gatewayPrivateKey,
        String clientPublicKey, LinkState state, String clientEndpoint, List<PortMapping> ports,
        String gatewayPublicKey) {

    /**
     * The gateway-link's LINK_PORTS (images/README.md): each public port or range, with the PROXY header version
     * where one is asked for. The gateway side never needs the targets at home.
     */
    public String gatewayPorts() {
        return ports.stream().map(port -> port.publicPorts()
                        + (port.proxyProtocol() == null ? "" : ":proxy-" + port.proxyProtocol()))
                .collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return "LinkDeployment[linkId=" + linkId + ", fqdn=" + fqdn + ", udpPort=" + udpPort + ", state=" + state
                + ", ports=" + gatewayPorts() + "]";
    }
}
