package org.selfhostedgateway.audit;

/** What an audit entry records. */
public enum AuditAction {
    LINK_CREATED,
    LINK_DELETED,
    /** A live link's raw ports were replaced. */
    LINK_PORTS_CHANGED,
    /** A link was moved to another visitor-address mode. */
    LINK_VISITOR_ADDRESS_CHANGED,
    /** A link's home target or extra names changed in place. */
    LINK_EDITED,
    /** A link got new WireGuard keys. */
    LINK_KEYS_ROTATED,
    /** A link's visitor access rules changed. */
    LINK_ACCESS_RULES_CHANGED,
    /** A link's client private key was shown after its creation (snippet read by the admin or its creator). */
    LINK_PRIVATE_KEY_READ,
    SIGNED_IN,
    SIGNED_OUT,
    TOKEN_CREATED,
    TOKEN_REVOKED
}
