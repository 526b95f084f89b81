package org.selfhostedgateway.link;

/**
 * Does the link serve visitors, as the gateway's own check through its front door found it? SERVING: the name's DNS
 * points at this gateway, a TLS handshake for the name completes with a certificate that covers it and has not
 * expired, and {@code /} answers below 500. NOT_SERVING: any of these fails; the check's summary says which.
 */
public enum LinkServingStatus {
    SERVING,
    NOT_SERVING
}
