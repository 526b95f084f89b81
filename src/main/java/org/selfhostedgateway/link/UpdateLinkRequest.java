package org.selfhostedgateway.link;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/** The body of {@code PATCH /links/{id}}: what may change on a link without making a new one. */
@Schema(description = "A change to a link")
public record UpdateLinkRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required: PROXY_PROTOCOL or NONE")
        VisitorAddress visitorAddress) {
}
