package org.selfhostedgateway.link;

/**
 * Published inside the transaction that created, changed or deleted a link; listeners that touch containers or
 * NGINX act after commit, so a rolled-back change never reaches the data plane.
 */
public record LinkChanged(String linkId, String fqdn, Kind kind) {

    public enum Kind {
        CREATED,
        PORTS_CHANGED,
        /** How the gateway routes it changed (its container stays as it is). */
        VISITOR_ADDRESS_CHANGED,
        DELETED
    }
}
