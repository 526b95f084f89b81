package org.selfhostedgateway.audit;

/** What an audit entry records. */
public enum AuditAction {
    LINK_CREATED,
    LINK_DELETED,
    SIGNED_IN,
    SIGNED_OUT,
    TOKEN_CREATED,
    TOKEN_REVOKED
}
