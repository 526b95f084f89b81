package org.selfhostedgateway.docker;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway reads from {@code wg show wg0 dump}, and what it refuses to hand to a new container. */
class WireGuardDumpTests {

    private static final String PRIVATE_KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    private static final String INTERFACE_LINE = PRIVATE_KEY + "\tHIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\t"
            + "51820\toff";

    @Test
    void aConnectedPeerGivesItsEndpointHandshakeAndCounters() {
        String dump = INTERFACE_LINE + "\nxTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\t(none)\t203.0.113.7:40123\t"
                + "10.231.0.2/32\t1764095000\t4096\t8192\t25\n";

        WireGuardPeer peer = WireGuardDump.firstPeer(dump).orElseThrow();

        assertThat(peer).isEqualTo(new WireGuardPeer("203.0.113.7:40123", Instant.ofEpochSecond(1764095000L), 4096,
                8192));
        assertThat(peer.toString()).doesNotContain(PRIVATE_KEY);
    }

    @Test
    void aPeerThatNeverConnectedHasNoEndpointAndNoHandshake() {
        WireGuardPeer peer = WireGuardDump.firstPeer("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\t(none)\t(none)\t"
                + "10.231.0.2/32\t0\t0\t0\toff").orElseThrow();

        assertThat(peer.endpoint()).isNull();
        assertThat(peer.latestHandshake()).isNull();
    }

    @Test
    void theInterfaceLineAloneIsNoPeer() {
        assertThat(WireGuardDump.firstPeer(INTERFACE_LINE)).isEmpty();
        assertThat(WireGuardDump.firstPeer("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1:51820", "[2001:db8::1]:51820", "[::1]:1"})
    void endpointsTheGatewayLinkAccepts(String endpoint) {
        assertThat(WireGuardDump.isEndpoint(endpoint)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(none)", "host.example.com:51820", "192.0.2.1", "192.0.2.300:1", "192.0.2.1:0",
            "192.0.2.1:65536", "[192.0.2.1]:5", "2001:db8::1:51820", "1.2.3.4:5\nendpoint 6.6.6.6:6", "1.2.3.4:5 x"})
    void anythingElseIsNeverStoredOrCopied(String endpoint) {
        assertThat(WireGuardDump.isEndpoint(endpoint)).isFalse();
    }
}
