package org.selfhostedgateway.ports;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * Picks the UDP port for a new link: the lowest port of the range that no link holds and nothing else on the host
 * publishes. Uniqueness across links is guaranteed by the database's unique constraint; this only chooses.
 */
@Component
public class PortAllocator {

    private final PortsProperties properties;
    private final List<PortsInUse> portsInUseElsewhere;

    PortAllocator(PortsProperties properties, List<PortsInUse> portsInUseElsewhere) {
        this.properties = properties;
        this.portsInUseElsewhere = portsInUseElsewhere;
    }

    /** A free port, or {@link NoFreePortException} naming the range. */
    public int allocate(Collection<Integer> heldByLinks) {
        Set<Integer> taken = new HashSet<>(heldByLinks);
        for (PortsInUse source : portsInUseElsewhere) {
            taken.addAll(source.udpPortsInUse());
        }
        for (int port = properties.first(); port <= properties.last(); port++) {
            if (!taken.contains(port)) {
                return port;
            }
        }
        throw new NoFreePortException(properties.describe());
    }

    public String range() {
        return properties.describe();
    }
}
