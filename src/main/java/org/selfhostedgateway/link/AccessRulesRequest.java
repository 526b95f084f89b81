package org.selfhostedgateway.link;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code PUT /links/{id}/access}: the whole new rule set. Every part is optional; an absent or empty list
 * switches that rule off, so {@code {}} clears all of them. Checked by {@link AccessRulesPolicy}, which names each
 * refused entry.
 */
@Schema(description = "A link's visitor access rules, replaced whole; {} removes every rule")
public record AccessRulesRequest(
        @ArraySchema(arraySchema = @Schema(description = "Only these networks may connect (at most 200). IPv4 or "
                + "IPv6 CIDR, or a single address; host bits must be zero (203.0.113.7/24 is refused)"),
                schema = @Schema(example = "203.0.113.0/24"))
        List<String> allow,
        @ArraySchema(arraySchema = @Schema(description = "These networks are refused (at most 200); deny wins "
                + "over allow"), schema = @Schema(example = "198.51.100.0/24"))
        List<String> deny,
        @ArraySchema(arraySchema = @Schema(description = "HTTP basic-auth users the home side asks for (at most "
                + "20); enforced where TLS ends, at home, once it runs the new snippet"))
        List<BasicAuthUser> basicAuth) {

    /** One basic-auth user: a password (hashed by the gateway), a bcrypt hash, or neither to keep the stored one. */
    @Schema(name = "BasicAuthUser", description = "A basic-auth user. Give password or passwordHash; give neither to "
            + "keep the password this user already has")
    public record BasicAuthUser(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "1 to 64 of A-Z a-z 0-9 . _ @ + -",
                    example = "alice")
            String username,
            @Schema(description = "8 characters to 72 bytes (UTF-8); stored only as a bcrypt hash",
                    example = "correct horse battery staple", accessMode = Schema.AccessMode.WRITE_ONLY)
            String password,
            @Schema(description = "A bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 16), for example from "
                    + "'htpasswd -nbB user password'", accessMode = Schema.AccessMode.WRITE_ONLY)
            String passwordHash) {

        @Override
        public String toString() {
            return "BasicAuthUser[" + username + "]";
        }
    }

    /** No rules at all. */
    static AccessRulesRequest none() {
        return new AccessRulesRequest(null, null, null);
    }
}
