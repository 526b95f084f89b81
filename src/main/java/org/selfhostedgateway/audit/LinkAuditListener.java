package org.selfhostedgateway.audit;

import org.selfhostedgateway.link.LinkChanged;
import org.selfhostedgateway.link.LinkPrivateKeyRead;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Records link creation, every change (with its old and new value) and deletion, and every later read of a link's client private key. A plain listener runs inside the transaction that publishes the event, so the
 * audit row commits with the link row, or rolls back with it.
 */
@Component
class LinkAuditListener {

    private final AuditLog audit;

    LinkAuditListener(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void onLinkChanged(LinkChanged change) {
        AuditAction action = switch (change.kind()) {
            case CREATED -> AuditAction.LINK_CREATED;
            case PORTS_CHANGED -> AuditAction.LINK_PORTS_CHANGED;
            case VISITOR_ADDRESS_CHANGED -> AuditAction.LINK_VISITOR_ADDRESS_CHANGED;
            case EDITED -> AuditAction.LINK_EDITED;
            case KEYS_ROTATED -> AuditAction.LINK_KEYS_ROTATED;
            case ACCESS_RULES_CHANGED -> AuditAction.LINK_ACCESS_RULES_CHANGED;
            case DELETED -> AuditAction.LINK_DELETED;
        };
        audit.record(action, change.fqdn(), change.linkId(), change.change());
    }

    @EventListener
    void onPrivateKeyRead(LinkPrivateKeyRead read) {
        audit.record(AuditAction.LINK_PRIVATE_KEY_READ, read.fqdn(), read.linkId());
    }
}
