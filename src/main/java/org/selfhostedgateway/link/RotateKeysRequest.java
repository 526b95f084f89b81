package org.selfhostedgateway.link;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;

/** The body of {@code POST /links/{id}/keys}; empty (or absent) for a link whose client key the gateway made. */
@Schema(description = "New keys for a link. Leave clientPublicKey out to have the gateway make the client's new key "
        + "pair (links whose client key it made); give it for a link whose client key you supplied, or to supply "
        + "your own from now on")
public record RotateKeysRequest(
        @Schema(description = "The client's new WireGuard public key (wg pubkey); required when the link's client "
                + "key was supplied by the caller, and it must differ from the current one",
                example = "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=")
        @Pattern(regexp = LinkPatterns.WIREGUARD_KEY,
                message = "must be a WireGuard public key as 'wg pubkey' prints it (44 characters of base64)")
        String clientPublicKey) {
}
