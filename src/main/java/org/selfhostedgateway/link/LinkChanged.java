package org.selfhostedgateway.link;

/**
 * Published inside the transaction that created, changed or deleted a link; listeners that touch containers or
 * NGINX act after commit, so a rolled-back change never reaches the data plane.
 */
public record LinkChanged(String linkId, String fqdn, Kind kind, String change) {

    public LinkChanged(String linkId, String fqdn, Kind kind) {
        this(linkId, fqdn, kind, null);
    }

    /** "what: old -> new", as the audit log shows a change; never pass a key or a password. */
    public static String change(String what, Object before, Object after) {
        return what + ": " + before + " -> " + after;
    }

    public enum Kind {
        CREATED,
        PORTS_CHANGED,
        /** How the gateway routes it changed (its container stays as it is). */
        VISITOR_ADDRESS_CHANGED,
        /** Its home target or its extra names changed (same keys, same port). */
        EDITED,
        /** New WireGuard keys: the gateway side restarts with them. */
        KEYS_ROTATED,
        /** Its visitor access rules changed (IP lists, basic-auth users). */
        ACCESS_RULES_CHANGED,
        DELETED
    }
}
