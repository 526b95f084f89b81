package org.selfhostedgateway.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Asks a wireguard-go for its state over its control socket (WireGuard's cross-platform "get" operation), the socket
 * that {@code wg show} itself uses: no process is started, in the container or here. The answer's interface part
 * holds the private key; it is read past and never kept.
 */
final class WireGuardControlSocket {

    /** A healthy wireguard-go answers within microseconds; a stuck one must not hold a sweep. */
    private static final long TIMEOUT_MILLIS = 2000;
    /** One peer's answer is a few hundred bytes; anything larger is not what we asked for. */
    private static final int TYPICAL_ANSWER = 4 * 1024;
    private static final int MAX_ANSWER = 64 * 1024;
    /** Non-blocking reads before waiting on a selector: a few microseconds. */
    private static final int SPIN_READS = 20;
    /** sun_path holds 108 bytes with the terminating zero. */
    private static final int MAX_SOCKET_PATH = 107;

    private WireGuardControlSocket() {
    }

    /** The first peer, or empty when the socket does not answer as WireGuard does. */
    static Optional<WireGuardPeer> firstPeer(Path socket) throws IOException {
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return ask(socket);
        }
        // A Unix socket's path may hold 107 bytes, and a link's state directory can be deeper than that: connect
        // through a short symbolic link (connect follows it; only the name given to it is limited).
        Path alias = Path.of(System.getProperty("java.io.tmpdir"), "sg-wg-" + UUID.randomUUID() + ".sock");
        Files.createSymbolicLink(alias, socket);
        try {
            return ask(alias);
        }
        finally {
            Files.deleteIfExists(alias);
        }
    }

    private static Optional<WireGuardPeer> ask(Path socket) throws IOException {
        String answer;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("get=1\n\n".getBytes(StandardCharsets.US_ASCII)));
            answer = readUntilBlankLine(channel);
        }
        return parse(answer);
    }

    /**
     * wireguard-go answers within microseconds, so a few non-blocking reads usually find the whole answer; only a
     * slow one costs a selector (an epoll instance per probe was most of a sweep's CPU), which then wakes the thread
     * when bytes arrive instead of a sleep loop.
     */
    private static String readUntilBlankLine(SocketChannel channel) throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        channel.configureBlocking(false);
        ByteBuffer buffer = ByteBuffer.allocate(TYPICAL_ANSWER);
        Selector selector = null;
        try {
            int idleReads = 0;
            while (true) {
                if (!buffer.hasRemaining()) {
                    if (buffer.capacity() >= MAX_ANSWER) {
                        throw new IOException("answer longer than " + MAX_ANSWER + " bytes");
                    }
                    buffer = ByteBuffer.allocate(MAX_ANSWER).put(buffer.flip());
                }
                int read = channel.read(buffer);
                if (read < 0 || endsWithBlankLine(buffer)) {
                    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                }
                if (read > 0) {
                    continue;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IOException("no answer within " + TIMEOUT_MILLIS + " ms");
                }
                if (++idleReads <= SPIN_READS) {
                    Thread.onSpinWait();
                    continue;
                }
                if (selector == null) {
                    selector = Selector.open();
                    channel.register(selector, SelectionKey.OP_READ);
                }
                selector.select(left);
                selector.selectedKeys().clear();
            }
        }
        finally {
            if (selector != null) {
                selector.close();
            }
        }
    }

    private static boolean endsWithBlankLine(ByteBuffer buffer) {
        int end = buffer.position();
        return end >= 2 && buffer.get(end - 1) == '\n' && buffer.get(end - 2) == '\n';
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
