package org.selfhostedgateway.audit;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/audit")
@Tag(name = "audit", description = "Who created or deleted links and tokens, who read a client private key, "
        + "and who signed in (admin only)")
class AuditController {

    private static final String LIMIT_RANGE = "must be from 1 to " + AuditLog.MAX_LIMIT;

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @Operation(operationId = "listAuditEntries", summary = "Audit entries, newest first")
    @ApiResponse(responseCode = "200", description = "The entries")
    @ApiResponse(responseCode = "400", description = "limit out of range")
    @ApiResponse(responseCode = "403", description = "Only the admin may read the audit log")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    List<AuditEntry> list(
            @Parameter(description = "How many entries, 1 to 500")
            @RequestParam(defaultValue = "50") @Min(value = 1, message = LIMIT_RANGE)
            @Max(value = AuditLog.MAX_LIMIT, message = LIMIT_RANGE) int limit,
            @Parameter(description = "Only entries older than this id: the last id of the previous page")
            @RequestParam(required = false) Long before) {
        return audit.recent(limit, before);
    }
}
