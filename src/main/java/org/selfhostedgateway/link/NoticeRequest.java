package org.selfhostedgateway.link;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/** The body of {@code PUT /links/{id}/notice}. */
@Schema(name = "NoticeRequest", description = "A note on a link from whoever manages it")
public record NoticeRequest(
        @Schema(description = "What the link's manager wants its users to know, such as why the labels of the "
                + "container it was made for are refused; absent, null or blank clears it",
                example = "selfhosted-gateway.port=99999 is not a port from 1 to 65535")
        @Size(max = 2000, message = "must be at most 2000 characters")
        String notice) {
}
