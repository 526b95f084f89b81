package org.selfhostedgateway.tokens;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** The body of {@code POST /tokens}, and the page's form. */
@Schema(description = "A name that says who or what uses the token")
public record CreateTokenRequest(
        @Schema(description = "1 to 64 letters, digits, dots, hyphens or underscores; unique",
                example = "ci-deploy", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotBlank(message = "is required, for example ci-deploy")
        @Pattern(regexp = "^[A-Za-z0-9._-]{1,64}$",
                message = "must be 1 to 64 letters, digits, dots, hyphens or underscores, such as ci-deploy")
        String name) {
}
