package org.selfhostedgateway.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.link.LinkHealthStatus;
import org.selfhostedgateway.link.LinkHealthView;
import org.selfhostedgateway.link.LinkResponse;
import org.selfhostedgateway.link.LinkServingView.Certificate;
import org.selfhostedgateway.link.LinkState;
import org.selfhostedgateway.link.VisitorAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The sentence a user reads for each way a link can fail to serve, first problem first. */
class ServingSummaryTests {

    private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");
    private static final List<String> GATEWAY = List.of("203.0.113.7");
    private static final ServingProbe.Dns HERE = new ServingProbe.Dns(GATEWAY, null);
    private static final Certificate GOOD = new Certificate("CN=R11,O=Let's Encrypt,C=US",
            List.of("app.example.com"), NOW.plus(Duration.ofDays(60)), true);
    private static final ServingProbe.Tls SERVES = new ServingProbe.Tls(GOOD, null, 200);
    private static final ServingProbe.Tls NO_CERTIFICATE = new ServingProbe.Tls(null, "Received fatal alert: "
            + "internal_error", null);

    @Test
    void dnsThatPointsElsewhereNamesTheAddressesThatAreNotThisGateway() {
        assertThat(problem(LinkHealthStatus.CONNECTED, new ServingProbe.Dns(List.of("198.51.100.4"), null), SERVES))
                .isEqualTo("DNS for app.example.com points at 198.51.100.4, not this gateway (203.0.113.7)");
        assertThat(problem(LinkHealthStatus.CONNECTED, new ServingProbe.Dns(List.of("203.0.113.7", "2001:db8::1"),
                null), SERVES)).as("a stale AAAA record").isEqualTo(
                        "DNS for app.example.com points at 2001:db8::1, not this gateway (203.0.113.7)");
        assertThat(problem(LinkHealthStatus.CONNECTED, new ServingProbe.Dns(List.of(), null), SERVES))
                .isEqualTo("DNS for app.example.com has no A or AAAA record: add one pointing at 203.0.113.7");
    }

    @Test
    void withoutAHandshakeTheTunnelSaysWhetherTheHomeSideIsMissingOrStillAskingItsCa() {
        assertThat(problem(LinkHealthStatus.WAITING, HERE, NO_CERTIFICATE)).startsWith(
                "The home side has never connected").contains("UDP port 51820");
        assertThat(problem(LinkHealthStatus.DISCONNECTED, HERE, NO_CERTIFICATE)).startsWith(
                "The home side is not connected (last handshake 200 s ago)");
        assertThat(problem(LinkHealthStatus.CONNECTED, HERE, NO_CERTIFICATE)).startsWith(
                "No certificate yet: the home side is still asking its CA, see its log");
        assertThat(problem(LinkHealthStatus.DOWN, HERE, NO_CERTIFICATE)).startsWith(
                "The gateway's container for this link is not running");
    }

    @Test
    void aCertificateForAnotherNameOrAnAppThatFailsIsNotServing() {
        Certificate other = new Certificate("CN=x", List.of("other.example.com"), GOOD.notAfter(), false);
        assertThat(problem(LinkHealthStatus.CONNECTED, HERE, new ServingProbe.Tls(other, null, 200)))
                .isEqualTo("The certificate is for other.example.com, not for app.example.com");
        Certificate wildcard = new Certificate("CN=x", List.of("*.example.com"), GOOD.notAfter(), true);
        assertThat(problem(LinkHealthStatus.CONNECTED, HERE, new ServingProbe.Tls(wildcard, null, 200))).isNull();
        assertThat(problem(LinkHealthStatus.CONNECTED, HERE, new ServingProbe.Tls(GOOD, null, 502)))
                .isEqualTo("The home side answers GET / with HTTP 502: is app:80 running?");
        assertThat(problem(LinkHealthStatus.CONNECTED, HERE, SERVES)).isNull();
    }

    @Test
    void aServingLinkSaysWhenItsCertificateExpires() {
        assertThat(ServingMonitor.servingSummary(GOOD, NOW, Duration.ofDays(14)))
                .isEqualTo("Serving: certificate expires in 60 days (issued by CN=R11,O=Let's Encrypt,C=US)");
        Certificate soon = new Certificate(GOOD.issuer(), GOOD.names(), NOW.plus(Duration.ofDays(5)).plusSeconds(60),
                true);
        assertThat(ServingMonitor.servingSummary(soon, NOW, Duration.ofDays(14)))
                .startsWith("Serving, but the certificate expires in 5 days");
    }

    private static String problem(LinkHealthStatus health, ServingProbe.Dns dns, ServingProbe.Tls tls) {
        LinkResponse link = new LinkResponse("l1", "app.example.com", "app:80", java.util.List.of(), 51820, "g", "c", "gw:51820",
                LinkState.ACTIVE, VisitorAddress.PROXY_PROTOCOL, null, NOW, "admin", null,
                new LinkHealthView(health, "running", null, 200L, 0, 0, NOW), null, null, java.util.List.of(), null, null, null);
        boolean here = !dns.addresses().isEmpty() && GATEWAY.containsAll(dns.addresses());
        return ServingMonitor.problem(link, link.fqdn(), dns, here, GATEWAY, tls, NOW);
    }
}
