package org.selfhostedgateway.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One audit row as stored; shown only as {@link AuditEntry}. Rows are never changed once written. */
@Entity
@Table(name = "audit_event")
class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private Instant at;

    @Column(nullable = false)
    private String actor;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AuditAction action;

    private String subject;

    @Column(name = "subject_id")
    private String subjectId;

    private String address;

    @Column(name = "change_text")
    private String change;

    protected AuditEvent() {
    }

    AuditEvent(Instant at, String actor, AuditAction action, String subject, String subjectId, String address,
            String change) {
        this.at = at;
        this.actor = actor;
        this.action = action;
        this.subject = subject;
        this.subjectId = subjectId;
        this.address = address;
        this.change = change;
    }

    AuditEntry view() {
        return new AuditEntry(id, at, actor, action, subject, subjectId, address, change);
    }
}
