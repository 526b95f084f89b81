package org.selfhostedgateway.link;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of {@code PUT /links/{id}/ports}: the link's whole list of raw ports. */
@Schema(description = "Every raw port the link is to have; an empty list removes them all")
public record PortsRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required: the whole list of the link's raw ports, [] for none")
        @Size(max = 100, message = "may hold at most 100 entries (a range is one entry)")
        List<@NotNull(message = "must be a port entry") @Valid PortMapping> ports) {
}
