package org.selfhostedgateway.link;

/** Someone was shown a link's client private key after its creation; published so that the read is audited. */
public record LinkPrivateKeyRead(String linkId, String fqdn) {
}
