package org.selfhostedgateway.link;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /links}. */
@Schema(description = "A service to publish: the public host name and where the client link forwards to")
public record CreateLinkRequest(
        @Schema(description = "Public host name, an RFC 1123 name with at least two labels; stored in lower case",
                example = "nginx.example.com", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required, for example nginx.example.com")
        @Size(min = 1, max = 253, message = "must be 1 to 253 characters")
        @Pattern(regexp = LinkPatterns.FQDN,
                message = "must be a host name such as app.example.com: letters, digits and hyphens in labels "
                        + "separated by dots")
        String fqdn,

        @Schema(description = "host:port of the service on the home server, as the client link reaches it "
                + "(a compose service name, host name or IP; port 1-65535)",
                example = "nginx:80", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required, for example nginx:80")
        @Pattern(regexp = LinkPatterns.EXPOSE,
                message = "must be host:port, such as nginx:80: a compose service name, host name or IP, "
                        + "and a port from 1 to 65535")
        @ExposeAddress
        String expose,

        @Schema(description = "Your client's WireGuard public key (wg pubkey). When given, the gateway never sees "
                + "the client's private key and the snippet does not carry one",
                example = "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=")
        @Pattern(regexp = LinkPatterns.WIREGUARD_KEY,
                message = "must be a WireGuard public key as 'wg pubkey' prints it (44 characters of base64)")
        String clientPublicKey,

        @ArraySchema(arraySchema = @Schema(description = "Raw TCP and UDP ports (or ranges) to publish on the "
                + "gateway besides HTTP and HTTPS; change them later with PUT /links/{id}/ports"))
        @Size(max = 100, message = "may hold at most 100 entries (a range is one entry)")
        List<@NotNull(message = "must be a port entry") @Valid PortMapping> ports,

        @Schema(description = "PROXY_PROTOCOL (the default): the service at home sees each visitor's address. NONE "
                + "only for a home side that runs a client-link image from before this existed")
        VisitorAddress visitorAddress,

        @ArraySchema(arraySchema = @Schema(description = "Extra public host names of the link besides fqdn, "
                + "each like fqdn (stored in lower case), each held by no other link; at most "
                + LinkNames.MAX_ALIASES + ". The home side gets a certificate for every name. Change them later "
                + "with PATCH /links/{id}"), schema = @Schema(example = "www.example.com"))
        @Size(max = LinkNames.MAX_ALIASES, message = "may hold at most " + LinkNames.MAX_ALIASES + " names")
        List<@NotNull(message = "must be a host name") @Size(min = 1, max = 253,
                message = "must be 1 to 253 characters") @Pattern(regexp = LinkPatterns.FQDN,
                message = LinkNames.FQDN_MESSAGE) String> aliases,

        @Schema(description = "Visitor access rules from the start, as PUT /links/{id}/access sets them (each user "
                + "with a password or passwordHash); none when absent. A repeated create with rules answers the "
                + "existing link when it has the same networks and users (passwords are not compared: change them "
                + "with PUT /links/{id}/access)")
        AccessRulesRequest access) {

    /** A link without raw ports, in the default visitor-address mode. */
    public CreateLinkRequest(String fqdn, String expose, String clientPublicKey) {
        this(fqdn, expose, clientPublicKey, null, null);
    }

    /** A link without aliases. */
    public CreateLinkRequest(String fqdn, String expose, String clientPublicKey, List<PortMapping> ports,
            VisitorAddress visitorAddress) {
        this(fqdn, expose, clientPublicKey, ports, visitorAddress, null);
    }

    /** A link without access rules. */
    public CreateLinkRequest(String fqdn, String expose, String clientPublicKey, List<PortMapping> ports,
            VisitorAddress visitorAddress, List<String> aliases) {
        this(fqdn, expose, clientPublicKey, ports, visitorAddress, aliases, null);
    }

    /** The aliases asked for; none when absent. */
    List<String> aliasesOrNone() {
        return aliases == null ? List.of() : aliases;
    }

    /** The raw ports asked for; none when absent. */
    List<PortMapping> portsOrNone() {
        return ports == null ? List.of() : ports;
    }

    /** The mode a new link gets when the request names none. */
    VisitorAddress visitorAddressOrDefault() {
        return visitorAddress == null ? VisitorAddress.PROXY_PROTOCOL : visitorAddress;
    }
}
