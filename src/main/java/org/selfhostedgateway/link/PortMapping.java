package org.selfhostedgateway.link;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** One raw port entry of a link, as the API takes and shows it: a public port (or range) and where it goes at home. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "PortMapping", description = "A raw TCP or UDP port (or range) on the gateway and the host:port at "
        + "home it goes to")
public record PortMapping(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"tcp", "udp"}, example = "udp")
        @NotNull(message = "is required: tcp or udp")
        @Pattern(regexp = "^(tcp|udp)$", message = "must be tcp or udp")
        String protocol,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Public port on the gateway; the first "
                + "of the range when publicPortEnd is given", example = "50100")
        @NotNull(message = "is required, for example 25565")
        @Min(value = 1, message = "must be a port from 1 to 65535")
        @Max(value = 65535, message = "must be a port from 1 to 65535")
        Integer publicPort,

        @Schema(description = "Last public port of a range (inclusive); absent for one port. A range maps port by "
                + "port onto the same number of ports from the target's port", example = "50199")
        @Min(value = 1, message = "must be a port from 1 to 65535")
        @Max(value = 65535, message = "must be a port from 1 to 65535")
        Integer publicPortEnd,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "host:port at home, as the client link "
                + "reaches it (a compose service name, host name or IPv4 address); a range starts at this port",
                example = "turn:50100")
        @NotNull(message = "is required, for example minecraft:25565")
        @Pattern(regexp = LinkPatterns.PORT_TARGET, message = "must be host:port, such as minecraft:25565: a "
                + "compose service name, host name or IPv4 address, and a port from 1 to 65535")
        String target,

        @Schema(description = "tcp only, one port: send a PROXY protocol header (v1 text or v2 binary) with the "
                + "visitor's address before the connection's bytes", allowableValues = {"v1", "v2"})
        @Pattern(regexp = "^v[12]$", message = "must be v1 or v2")
        String proxyProtocol) {

    /** The same entry as it is stored: a range of one port is that port. */
    PortMapping normalized() {
        return new PortMapping(protocol, publicPort, lastPublicPort() == publicPort ? null : publicPortEnd, target,
                proxyProtocol);
    }

    /** The last public port: {@code publicPortEnd}, or the one port. */
    public int lastPublicPort() {
        return publicPortEnd == null ? publicPort : publicPortEnd;
    }

    /** How many public ports the entry takes. */
    int size() {
        return lastPublicPort() - publicPort + 1;
    }

    /** {@code tcp:25565} or {@code udp:50100-50199}: how both link images name the public ports (LINK_PORTS). */
    public String publicPorts() {
        return protocol + ":" + publicPort + (lastPublicPort() == publicPort ? "" : "-" + lastPublicPort());
    }

    /** {@code tcp:25565=minecraft:25565}: one entry of the client-link's LINK_PORTS. */
    String homeEntry() {
        return publicPorts() + "=" + target;
    }

    /** {@code tcp 25565} or {@code udp 50100-50199}, for messages. */
    String describe() {
        return protocol + " " + publicPort + (publicPortEnd == null || publicPortEnd.equals(publicPort) ? ""
                : "-" + publicPortEnd);
    }
}
