package org.selfhostedgateway.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Asks a wireguard-go for its state over its control socket (WireGuard's cross-platform "get" operation), the socket
 * that {@code wg show} itself uses: no process is started, in the container or here. The answer's interface part
 * holds the private key; it is read past and never kept.
 */
final class WireGuardControlSocket {

    /** A healthy wireguard-go answers within microseconds; a stuck one must not hold a sweep. */
    private static final long TIMEOUT_MILLIS = 2000;
    /** One peer's answer is a few hundred bytes; anything larger is not what we asked for. */
    private static final int MAX_ANSWER = 64 * 1024;

    private WireGuardControlSocket() {
    }

    /** The first peer, or empty when the socket does not answer as WireGuard does. */
    static Optional<WireGuardPeer> firstPeer(Path socket) throws IOException {
        String answer;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("get=1\n\n".getBytes(StandardCharsets.US_ASCII)));
            answer = readUntilBlankLine(channel);
        }
        return parse(answer);
    }

    private static String readUntilBlankLine(SocketChannel channel) throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        channel.configureBlocking(false);
        ByteBuffer buffer = ByteBuffer.allocate(MAX_ANSWER);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer);
            String sofar = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
            if (read < 0 || sofar.endsWith("\n\n")) {
                return sofar;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("no answer within " + TIMEOUT_MILLIS + " ms");
            }
            if (read == 0) {
                try {
                    Thread.sleep(1);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
        throw new IOException("answer longer than " + MAX_ANSWER + " bytes");
    }

    /** Reads the first peer's endpoint, handshake and counters from a "get" answer that ended with errno=0. */
    static Optional<WireGuardPeer> parse(String answer) {
        if (!answer.contains("\nerrno=0\n") && !answer.startsWith("errno=0\n")) {
            return Optional.empty();
        }
        boolean inPeer = false;
        String endpoint = null;
        long handshake = 0;
        long rx = 0;
        long tx = 0;
        for (String line : answer.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("public_key")) {
                if (inPeer) {
                    break; // only the first peer: a link has one
                }
                inPeer = true;
                continue;
            }
            if (!inPeer) {
                continue; // the interface's lines, among them its private key
            }
            switch (key) {
                case "endpoint" -> endpoint = WireGuardDump.isEndpoint(value) ? value : null;
                case "last_handshake_time_sec" -> handshake = counter(value);
                case "rx_bytes" -> rx = counter(value);
                case "tx_bytes" -> tx = counter(value);
                default -> {
                    // allowed_ip, keepalive, protocol_version: not part of health
                }
            }
        }
        if (!inPeer) {
            return Optional.empty();
        }
        return Optional.of(new WireGuardPeer(endpoint, handshake == 0 ? null : Instant.ofEpochSecond(handshake), rx,
                tx));
    }

    private static long counter(String value) {
        return value.matches("[0-9]{1,19}") ? Long.parseLong(value) : 0;
    }
}
