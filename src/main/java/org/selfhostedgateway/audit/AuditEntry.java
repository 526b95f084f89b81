package org.selfhostedgateway.audit;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** An audit entry as the API and the page show it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "AuditEntry", description = "Who did what, and when")
public record AuditEntry(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Grows with time; page with ?before=")
        long id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant at,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "'admin token', 'admin (signed in)', "
                + "'token <name>' for a named API token, or 'system'", example = "token ci-deploy") String actor,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) AuditAction action,
        @Schema(description = "The link's fqdn, the token's name, or how the admin signed in",
                example = "nginx.example.com") String subject,
        @Schema(description = "The link's or the token's id") String subjectId,
        @Schema(description = "The client's address, as the gateway saw it (after trusted proxies)",
                example = "203.0.113.7") String address,
        @Schema(description = "What changed, old value and new: for edits, key rotations and access rules (never "
                + "a key or a password)", example = "expose: nginx:80 -> nginx:8080") String change) {
}
