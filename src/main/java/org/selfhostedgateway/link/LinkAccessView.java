package org.selfhostedgateway.link;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/** A link's visitor access rules as the API shows them: never a password or a hash. */
@Schema(name = "LinkAccess", description = "Visitor access rules; all empty when the link has none (the default)")
public record LinkAccessView(
        @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Networks "
                + "that may connect (CIDR, normalised); when not empty, every other address is refused at the "
                + "gateway"), schema = @Schema(example = "203.0.113.0/24"))
        List<String> allow,
        @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Networks "
                + "refused at the gateway; deny wins over allow"), schema = @Schema(example = "198.51.100.0/24"))
        List<String> deny,
        @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Names of "
                + "the HTTP basic-auth users the home side asks for (their passwords are stored only as bcrypt "
                + "hashes and never shown)"), schema = @Schema(example = "alice"))
        List<String> basicAuthUsers) {
}
