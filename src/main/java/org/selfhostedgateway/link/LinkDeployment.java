package org.selfhostedgateway.link;

/**
 * What the data plane needs to run the gateway side of one link. Holds a decrypted private key: pass it to the
 * container runtime and nowhere else; it never appears in {@link #toString()}. {@code clientEndpoint} is where the
 * client was last seen (null if never).
 */
public record LinkDeployment(String linkId, String fqdn, int udpPort, String gatewayPrivateKey,
        String clientPublicKey, LinkState state, String clientEndpoint) {

    @Override
    public String toString() {
        return "LinkDeployment[linkId=" + linkId + ", fqdn=" + fqdn + ", udpPort=" + udpPort + ", state=" + state
                + "]";
    }
}
