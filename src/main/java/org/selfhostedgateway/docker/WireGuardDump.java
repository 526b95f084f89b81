package org.selfhostedgateway.docker;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the peer lines of {@code wg show wg0 dump}: public key, preshared key, endpoint, allowed IPs, latest
 * handshake (epoch seconds, 0 = never), rx bytes, tx bytes, keepalive. The interface line (four fields, the first
 * one the private key) and anything else that is not a well-formed peer line is skipped, never echoed.
 */
final class WireGuardDump {

    private static final Pattern IPV4_ENDPOINT = Pattern.compile(
            "^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
                    + ":(?<port>[1-9][0-9]{0,4})$");
    private static final Pattern IPV6_ENDPOINT = Pattern.compile(
            "^\\[(?<address>[0-9A-Fa-f:.]{2,45})\\]:(?<port>[1-9][0-9]{0,4})$");
    private static final Pattern COUNTER = Pattern.compile("^[0-9]{1,19}$");

    private WireGuardDump() {
    }

    static Optional<WireGuardPeer> firstPeer(String dump) {
        for (String line : dump.split("\n")) {
            String[] fields = line.strip().split("\t");
            if (fields.length != 8 || !COUNTER.matcher(fields[4]).matches() || !COUNTER.matcher(fields[5]).matches()
                    || !COUNTER.matcher(fields[6]).matches()) {
                continue;
            }
            long handshake = Long.parseLong(fields[4]);
            String endpoint = isEndpoint(fields[2]) ? fields[2] : null;
            return Optional.of(new WireGuardPeer(endpoint, handshake == 0 ? null : Instant.ofEpochSecond(handshake),
                    Long.parseLong(fields[5]), Long.parseLong(fields[6])));
        }
        return Optional.empty();
    }

    /** IPv4:port or [IPv6]:port and nothing else: the only shapes the gateway-link accepts as peer-endpoint. */
    static boolean isEndpoint(String value) {
        if (value == null || value.length() > 64) {
            return false;
        }
        Matcher matcher = IPV4_ENDPOINT.matcher(value);
        if (!matcher.matches()) {
            matcher = IPV6_ENDPOINT.matcher(value);
            if (!matcher.matches() || !matcher.group("address").contains(":")) {
                return false;
            }
        }
        return Integer.parseInt(matcher.group("port")) <= 65535;
    }
}
