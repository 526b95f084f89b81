package org.selfhostedgateway.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.data.domain.Limit;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Writes and reads the audit log. The actor is whoever is authenticated on the current request, so an action
 * taken through the API and the same action taken on the page are told apart only by who did it.
 */
@Service
public class AuditLog {

    /** The actor of changes made without a request, such as at start or by a scheduled job. */
    public static final String SYSTEM = "system";

    public static final int MAX_LIMIT = 500;

    private final AuditRepository events;
    private final Clock clock;

    AuditLog(AuditRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** Records an action by the current principal; joins the caller's transaction, so both commit or neither. */
    @Transactional
    public void record(AuditAction action, String subject, String subjectId) {
        record(action, subject, subjectId, null);
    }

    /** As {@link #record(AuditAction, String, String)}, with what changed: old value and new, never a secret. */
    @Transactional
    public void record(AuditAction action, String subject, String subjectId, String change) {
        events.save(new AuditEvent(Instant.now(clock).truncatedTo(ChronoUnit.MICROS), currentActor(), action,
                subject, subjectId, currentAddress(), AuditLog.fit(change)));
    }

    /** The column holds 2,000 characters; a longer change keeps its start and says it was cut. */
    private static String fit(String change) {
        int max = 2000;
        return change == null || change.length() <= max ? change : change.substring(0, max - 12) + " [truncated]";
    }

    /** Newest first; only entries older than {@code before} when it is given. */
    @Transactional(readOnly = true)
    public List<AuditEntry> recent(int limit, Long before) {
        Limit max = Limit.of(Math.max(1, Math.min(limit, MAX_LIMIT)));
        List<AuditEvent> found = before == null ? events.findByOrderByIdDesc(max)
                : events.findByIdLessThanOrderByIdDesc(before, max);
        return found.stream().map(AuditEvent::view).toList();
    }

    private static String currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated() ? SYSTEM : authentication.getName();
    }

    private static String currentAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
