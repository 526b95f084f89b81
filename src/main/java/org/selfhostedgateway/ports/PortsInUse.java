package org.selfhostedgateway.ports;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Something besides our links that holds ports on the gateway host, such as other published containers. */
public interface PortsInUse {

    /** Every port published on the host, with who publishes it. */
    List<PublishedPort> publishedPorts();

    default Set<Integer> udpPortsInUse() {
        return publishedPorts().stream().filter(port -> "udp".equals(port.protocol())).map(PublishedPort::port)
                .collect(Collectors.toSet());
    }

    /**
     * One published host port: {@code protocol} tcp or udp, {@code holder} the container's name, {@code linkId} the
     * link whose container it is (null for anything else).
     */
    record PublishedPort(String protocol, int port, String holder, String linkId) {
    }
}
