-- Issue #5: where the link's client was last seen (ip:port or [ipv6]:port, as WireGuard reports it). A recreated
-- gateway-link greets the client there first, so it serves again within seconds. Null until the first handshake.
ALTER TABLE link ADD COLUMN client_endpoint VARCHAR(64);
