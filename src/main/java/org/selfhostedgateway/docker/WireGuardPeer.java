package org.selfhostedgateway.docker;

import java.time.Instant;

/**
 * The client peer of a link as the gateway's WireGuard sees it. Counters belong to the running container and start
 * at zero when it is recreated.
 *
 * @param endpoint where the client's packets last came from, {@code ip:port} or {@code [ipv6]:port}; null before
 * the first handshake
 * @param latestHandshake the last completed handshake, null if there was none
 * @param rxBytes bytes received from the client
 * @param txBytes bytes sent to the client
 */
public record WireGuardPeer(String endpoint, Instant latestHandshake, long rxBytes, long txBytes) {
}
