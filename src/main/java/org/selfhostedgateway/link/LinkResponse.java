package org.selfhostedgateway.link;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** A link as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Link")
public record LinkResponse(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "nginx.example.com") String fqdn,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "nginx:80") String expose,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Raw TCP and UDP ports of the link "
                + "(empty when it has none)") List<PortMapping> ports,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "UDP port of this link's WireGuard "
                + "endpoint on the gateway") int udpPort,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String gatewayPublicKey,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientPublicKey,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "host:port the client link dials",
                example = "gateway.example.com:51820") String endpoint,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) LinkState state,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) VisitorAddress visitorAddress,
        @Schema(description = "Why the link is FAILED") String stateReason,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,
        @Schema(description = "Who created the link: 'admin' (admin token or signed-in admin) or 'token <name>'; "
                + "absent for links made before owners were recorded", example = "token ci-deploy")
        String createdBy,
        @Schema(description = "The compose service to paste under services: on the home server (single-link "
                + "responses only). It holds the client private key the gateway generated only for the admin and "
                + "the named token that created the link; for anyone else compose asks for the key instead")
        String compose,
        @Schema(description = "Is the tunnel up? From the last health sweep; absent until the first sweep and "
                + "when the gateway runs without a data plane") LinkHealthView health,
        @Schema(description = "Does it serve visitors? The last check through this gateway's front door; absent "
                + "until the first check") LinkServingView serving,
        @Schema(description = "Only in the answer to a change of ports, keys, access rules, or an edit of "
                + "expose or aliases: what the home side must do, if anything (its compose snippet carries the ports' "
                + "targets, the keys, EXPOSE, every name in LINK_DOMAIN and the basic-auth users)") String homeUpdate,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Extra host names the link answers on "
                + "besides fqdn (empty when it has none)")
        List<String> aliases,
        @Schema(description = "A note from whoever manages the link, such as the home agent's reason for refusing "
                + "the labels of the container it was made for; absent when there is nothing to say")
        String notice,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Visitor access rules (PUT "
                + "/links/{id}/access); empty lists when there are none") LinkAccessView access,
        @Schema(description = "When the link's WireGuard keys were last replaced (POST /links/{id}/keys); absent "
                + "until the first rotation") Instant keysRotatedAt) {
}
