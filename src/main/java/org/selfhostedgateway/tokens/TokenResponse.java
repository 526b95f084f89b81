package org.selfhostedgateway.tokens;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** A named token as the API shows it; the token itself only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ApiToken")
public record TokenResponse(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ci-deploy") String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "admin token") String createdBy,
        @Schema(description = "When a request last used it (to the minute)") Instant lastUsedAt,
        @Schema(description = "The token, to send as 'Authorization: Bearer <token>'. Only in the answer that "
                + "created it: the gateway keeps its SHA-256 only") String token) {
}
