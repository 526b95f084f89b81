package org.selfhostedgateway.ports;

import java.util.Set;

/** Something besides our links that holds UDP ports on the gateway host, such as other published containers. */
public interface PortsInUse {

    Set<Integer> udpPortsInUse();
}
