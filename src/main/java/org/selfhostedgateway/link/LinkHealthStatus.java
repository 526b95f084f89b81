package org.selfhostedgateway.link;

/**
 * A link's tunnel. CONNECTED: a WireGuard handshake younger than the stale threshold (180 s by default: WireGuard
 * rekeys an active session every 120 s and a client's keepalive every 25 s keeps it active, so an older handshake
 * means no session). WAITING: the client never completed a handshake. DISCONNECTED: it did, but not recently. DOWN:
 * the gateway-link container is not running or missing.
 */
public enum LinkHealthStatus {
    CONNECTED,
    WAITING,
    DISCONNECTED,
    DOWN
}
