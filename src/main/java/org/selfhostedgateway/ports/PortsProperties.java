package org.selfhostedgateway.ports;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The UDP ports that links listen on; the VPS firewall must let this range in.
 *
 * @param first first port of the range ({@code GATEWAY_PORTS_FIRST}, default 51820)
 * @param last last port of the range, inclusive ({@code GATEWAY_PORTS_LAST}, default 52819)
 * @param rangeMax most public ports one raw port entry of a link may span ({@code GATEWAY_PORTS_RANGE_MAX}, 200):
 *        without an engine that turns Docker's userland proxy off, each costs two processes on the host
 */
@Validated
@ConfigurationProperties("gateway.ports")
public record PortsProperties(@Min(1) @Max(65535) int first, @Min(1) @Max(65535) int last,
        @Min(1) @Max(65535) int rangeMax) {

    @ConstructorBinding
    public PortsProperties(int first, int last, @DefaultValue("200") int rangeMax) {
        this.first = first;
        this.last = last;
        this.rangeMax = rangeMax;
    }

    public PortsProperties(int first, int last) {
        this(first, last, 200);
    }

    /** The WireGuard range holds this port. */
    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @AssertTrue(message = "the range is empty: gateway.ports.first must not be greater than gateway.ports.last")
    public boolean isRangeNotEmpty() {
        return first <= last;
    }

    public String describe() {
        return first + "-" + last + "/udp";
    }

    public int size() {
        return last - first + 1;
    }
}
