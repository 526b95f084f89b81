package org.selfhostedgateway.ports;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The UDP ports that links listen on; the VPS firewall must let this range in.
 *
 * @param first first port of the range ({@code GATEWAY_PORTS_FIRST}, default 51820)
 * @param last last port of the range, inclusive ({@code GATEWAY_PORTS_LAST}, default 52819)
 */
@Validated
@ConfigurationProperties("gateway.ports")
public record PortsProperties(@Min(1) @Max(65535) int first, @Min(1) @Max(65535) int last) {

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
