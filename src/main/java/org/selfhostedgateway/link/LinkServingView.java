package org.selfhostedgateway.link;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a visitor would meet, as the gateway saw it through its own front door: the name's DNS, the TLS handshake
 * (the gateway only reads the certificate; TLS still ends at home) and the answer to {@code GET /}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "LinkServing", description = "The last serving check: DNS, TLS and HTTP through this gateway")
public record LinkServingView(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) LinkServingStatus status,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "What is wrong, or that all is well, "
                + "in one sentence", example = "DNS for app.example.com points at 198.51.100.4, not this gateway")
        String summary,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The name's A and AAAA records")
        List<String> dnsAddresses,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Every A and AAAA record is one of "
                + "this gateway's addresses (and there is at least one)") boolean dnsPointsHere,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "This gateway's public addresses")
        List<String> gatewayAddresses,
        @Schema(description = "Why the TLS handshake through the gateway failed; absent when it completed")
        String tlsError,
        @Schema(description = "The certificate the home side presented; absent without a handshake")
        Certificate certificate,
        @Schema(description = "HTTP status of GET / over that TLS connection") Integer httpStatus,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant checkedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The same check for each alias (each "
                + "has its own DNS record and certificate); the link is SERVING only when every name is")
        List<NameCheck> aliases) {

    /** One alias as the check found it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "LinkNameServing")
    public record NameCheck(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "www.example.com") String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) LinkServingStatus status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "What is wrong with this name, or "
                    + "that it serves") String summary,
            @Schema(description = "The certificate the home side presented for this name") Certificate certificate) {
    }

    /** The leaf certificate as read (trusting it or not) during the handshake. */
    @Schema(name = "LinkCertificate")
    public record Certificate(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "CN=R11,O=Let's Encrypt,C=US")
            String issuer,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "DNS names it covers")
            List<String> names,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant notAfter,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Whether the control plane's "
                    + "Java trust store accepts it for this name (false for staging and test CAs)") boolean trusted) {
    }
}
