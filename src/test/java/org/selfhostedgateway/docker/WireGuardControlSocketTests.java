package org.selfhostedgateway.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway reads from a wireguard-go's control socket ("get=1"), and what it leaves out. */
class WireGuardControlSocketTests {

    private static final String PRIVATE_KEY_HEX = "c8a7f3e534fe9575c9b5ed78b638b7ce530dabe85ddab614220241801ddf0669";
    private static final String ANSWER = "private_key=" + PRIVATE_KEY_HEX + "\nlisten_port=51820\n"
            + "public_key=c5320103961b6e8bf61f886da1d8dbebaf7ded08cb2d1b7834007899a2a9f038\n"
            + "protocol_version=1\nendpoint=203.0.113.7:40123\nlast_handshake_time_sec=1764095000\n"
            + "last_handshake_time_nsec=12\ntx_bytes=8192\nrx_bytes=4096\npersistent_keepalive_interval=25\n"
            + "allowed_ip=10.231.0.2/32\nerrno=0\n\n";

    @Test
    void aConnectedPeerGivesItsEndpointHandshakeAndCountersAndNothingOfTheKey() {
        WireGuardPeer peer = WireGuardControlSocket.parse(ANSWER).orElseThrow();

        assertThat(peer).isEqualTo(new WireGuardPeer("203.0.113.7:40123", Instant.ofEpochSecond(1764095000L), 4096,
                8192));
        assertThat(peer.toString()).doesNotContain(PRIVATE_KEY_HEX);
    }

    @Test
    void aPeerThatNeverConnectedAnAnswerWithoutPeerAndAnErrorAreTold() {
        WireGuardPeer fresh = WireGuardControlSocket.parse("private_key=" + PRIVATE_KEY_HEX + "\nlisten_port=1\n"
                + "public_key=c5320103961b6e8bf61f886da1d8dbebaf7ded08cb2d1b7834007899a2a9f038\n"
                + "last_handshake_time_sec=0\ntx_bytes=0\nrx_bytes=0\nerrno=0\n\n").orElseThrow();
        assertThat(fresh.endpoint()).isNull();
        assertThat(fresh.latestHandshake()).isNull();

        assertThat(WireGuardControlSocket.parse("private_key=" + PRIVATE_KEY_HEX + "\nerrno=0\n\n")).isEmpty();
        assertThat(WireGuardControlSocket.parse(ANSWER.replace("errno=0", "errno=1"))).isEmpty();
        assertThat(WireGuardControlSocket.parse(ANSWER.replace("endpoint=203.0.113.7:40123",
                "endpoint=6.6.6.6:6\nendpoint 7.7.7.7"))).map(WireGuardPeer::endpoint).contains("6.6.6.6:6");
    }

    @Test
    void itAsksOverTheUnixSocketAsWgDoes(@TempDir Path dir) throws Exception {
        answersAsWireGuard(dir.resolve("wg0.sock"));
    }

    @Test
    void aSocketDeeperThanAUnixSocketPathMayBeIsReachedAllTheSame(@TempDir Path dir) throws Exception {
        // As a link's state directory can be: longer than the 107 bytes a socket's path may hold.
        Path deep = Files.createDirectories(dir.resolve("link-state").resolve("5f0c2a8e-7d1b-4c7e-9a43-0e6d2b9f1c11")
                .resolve("a-long-directory-name-as-a-deep-data-directory-has").resolve("wireguard"));
        assertThat(deep.resolve("wg0.sock").toString().length()).isGreaterThan(107);
        // The server here cannot bind such a path either: it binds through a short link to the directory, so the
        // socket file is made in the deep one, as wireguard-go makes it in its container.
        Path shortDir = Path.of(System.getProperty("java.io.tmpdir"), "sg-test-" + System.nanoTime());
        Files.createSymbolicLink(shortDir, deep);
        try {
            answersAsWireGuard(shortDir.resolve("wg0.sock"), deep.resolve("wg0.sock"));
        }
        finally {
            Files.deleteIfExists(shortDir);
        }
    }

    private static void answersAsWireGuard(Path socket) throws Exception {
        answersAsWireGuard(socket, socket);
    }

    private static void answersAsWireGuard(Path bindAt, Path socket) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(bindAt));
            StringBuilder asked = new StringBuilder();
            Thread wireguard = new Thread(() -> {
                try (SocketChannel client = server.accept()) {
                    ByteBuffer request = ByteBuffer.allocate(64);
                    while (!new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII)
                            .endsWith("\n\n")) {
                        client.read(request);
                    }
                    asked.append(new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII));
                    client.write(ByteBuffer.wrap(ANSWER.getBytes(StandardCharsets.US_ASCII)));
                }
                catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            wireguard.start();

            assertThat(WireGuardControlSocket.firstPeer(socket)).map(WireGuardPeer::rxBytes).contains(4096L);
            wireguard.join(5000);
            assertThat(asked.toString()).isEqualTo("get=1\n\n");
        }
    }
}
