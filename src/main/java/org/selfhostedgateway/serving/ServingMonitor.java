package org.selfhostedgateway.serving;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.selfhostedgateway.docker.DockerUnavailableException;
import org.selfhostedgateway.docker.NginxContainers;
import org.selfhostedgateway.link.LinkHealthStatus;
import org.selfhostedgateway.link.LinkHealthView;
import org.selfhostedgateway.link.LinkProperties;
import org.selfhostedgateway.link.LinkResponse;
import org.selfhostedgateway.link.LinkService;
import org.selfhostedgateway.link.LinkServingSource;
import org.selfhostedgateway.link.LinkServingStatus;
import org.selfhostedgateway.link.LinkServingView;
import org.selfhostedgateway.link.LinkServingView.Certificate;
import org.selfhostedgateway.link.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks every link as a visitor would reach it, through this gateway's own NGINX, on a schedule and on demand, and
 * keeps the last result in memory (an observation, like tunnel health: nothing here is stored or decides anything).
 */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class ServingMonitor implements LinkServingSource {

    private static final Logger log = LoggerFactory.getLogger(ServingMonitor.class);

    private final LinkService links;
    private final NginxContainers nginx;
    private final ServingProbe probe;
    private final ServingProperties properties;
    private final LinkProperties linkProperties;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, LinkServingView> current = new ConcurrentHashMap<>();
    /** By name: every name of a link has a certificate of its own. */
    private final Map<String, CertificateExpiry> expiries = new ConcurrentHashMap<>();
    private final Map<LinkServingStatus, AtomicInteger> byStatus = new EnumMap<>(LinkServingStatus.class);

    ServingMonitor(LinkService links, NginxContainers nginx, ServingProbe probe, ServingProperties properties,
            LinkProperties linkProperties, Clock clock, MeterRegistry registry) {
        this.links = links;
        this.nginx = nginx;
        this.probe = probe;
        this.properties = properties;
        this.linkProperties = linkProperties;
        this.clock = clock;
        this.registry = registry;
        for (LinkServingStatus status : LinkServingStatus.values()) {
            byStatus.put(status, new AtomicInteger());
            Gauge.builder("gateway.links.serving", byStatus.get(status), AtomicInteger::get)
                    .tag("status", status.name()).description("Links by the last serving check").register(registry);
        }
    }

    @Override
    public Optional<LinkServingView> serving(String linkId) {
        return Optional.ofNullable(current.get(linkId));
    }

    @Override
    public LinkServingView checkNow(String linkId) {
        LinkResponse link = links.get(linkId);
        LinkServingView view = check(link, frontDoor(), gatewayAddresses());
        remember(link, view);
        return view;
    }

    @Scheduled(fixedDelayString = "${gateway.serving.interval}", initialDelayString = "${gateway.serving.interval}")
    void checkAll() {
        try {
            List<LinkResponse> all = links.list(null);
            String frontDoor = frontDoor();
            List<String> addresses = gatewayAddresses();
            for (LinkResponse link : all) {
                remember(link, check(link, frontDoor, addresses));
            }
            Set<String> ids = all.stream().map(LinkResponse::id).collect(Collectors.toSet());
            current.keySet().retainAll(ids);
            Set<String> names = all.stream().flatMap(link -> names(link).stream()).collect(Collectors.toSet());
            for (String gone : new ArrayList<>(expiries.keySet())) {
                if (!names.contains(gone)) {
                    Optional.ofNullable(expiries.remove(gone)).ifPresent(CertificateExpiry::remove);
                }
            }
        }
        catch (DockerUnavailableException e) {
            log.warn("Docker is unavailable; serving checks are retried in {}", properties.interval());
        }
        catch (RuntimeException e) {
            log.error("Serving checks failed", e);
        }
    }

    private void remember(LinkResponse link, LinkServingView view) {
        current.put(link.id(), view);
        expiries.computeIfAbsent(link.fqdn(), CertificateExpiry::new).notAfter =
                view.certificate() == null ? null : view.certificate().notAfter();
        for (LinkServingView.NameCheck alias : view.aliases()) {
            expiries.computeIfAbsent(alias.name(), CertificateExpiry::new).notAfter =
                    alias.certificate() == null ? null : alias.certificate().notAfter();
        }
        Map<LinkServingStatus, Integer> counts = new EnumMap<>(LinkServingStatus.class);
        current.values().forEach(v -> counts.merge(v.status(), 1, Integer::sum));
        byStatus.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0)));
    }

    /** The NGINX that visitors reach, as an address on the gateway network; null when none runs. */
    private String frontDoor() {
        return nginx.address().orElse(null);
    }

    private List<String> gatewayAddresses() {
        if (!properties.publicAddresses().isEmpty()) {
            return properties.publicAddresses().stream().map(ServingProbe::normalized).toList();
        }
        String host = linkProperties.publicHost().replaceAll("^\\[|]$", "");
        if (host.matches("[0-9.]+|.*:.*")) {
            return List.of(ServingProbe.normalized(host));
        }
        return probe.resolve(host).addresses();
    }

    private static List<String> names(LinkResponse link) {
        List<String> names = new ArrayList<>(List.of(link.fqdn()));
        names.addAll(link.aliases());
        return names;
    }

    private LinkServingView check(LinkResponse link, String frontDoor, List<String> gatewayAddresses) {
        Instant now = clock.instant();
        NameResult main = checkName(link, link.fqdn(), frontDoor, gatewayAddresses, now);
        // An alias has its own DNS record and certificate, but not its own tunnel: while the link itself cannot
        // serve (not set up, or no container), its aliases are not probed, each waiting for a timeout.
        String linkWide = linkWide(link);
        List<LinkServingView.NameCheck> aliases = link.aliases().stream()
                .map(alias -> linkWide != null
                        ? new LinkServingView.NameCheck(alias, LinkServingStatus.NOT_SERVING, linkWide, null)
                        : checkName(link, alias, frontDoor, gatewayAddresses, now).of(alias))
                .toList();
        Optional<LinkServingView.NameCheck> failingAlias = aliases.stream()
                .filter(alias -> alias.status() == LinkServingStatus.NOT_SERVING).findFirst();
        LinkServingStatus status = main.problem() == null && failingAlias.isEmpty() ? LinkServingStatus.SERVING
                : LinkServingStatus.NOT_SERVING;
        String summary = main.problem() != null ? main.problem()
                : failingAlias.map(alias -> "The alias " + alias.name() + " does not serve: " + alias.summary()
                        + " (" + link.fqdn() + " serves)").orElse(main.summary());
        return new LinkServingView(status, summary, main.dns().addresses(), main.pointsHere(), gatewayAddresses,
                main.tls().tlsError(), main.tls().certificate(), main.tls().httpStatus(), now, aliases);
    }

    /** One name's DNS, TLS and HTTP, and the first problem a visitor of that name trips over. */
    private record NameResult(ServingProbe.Dns dns, boolean pointsHere, ServingProbe.Tls tls, String problem,
            String summary) {

        LinkServingView.NameCheck of(String name) {
            return new LinkServingView.NameCheck(name, problem == null ? LinkServingStatus.SERVING
                    : LinkServingStatus.NOT_SERVING, summary, tls.certificate());
        }
    }

    private NameResult checkName(LinkResponse link, String name, String frontDoor, List<String> gatewayAddresses,
            Instant now) {
        ServingProbe.Dns dns = probe.resolve(name);
        ServingProbe.Tls tls = frontDoor == null ? new ServingProbe.Tls(null, "no gateway NGINX is running", null)
                : probe.handshake(frontDoor, name);
        boolean pointsHere = !dns.addresses().isEmpty() && gatewayAddresses.containsAll(dns.addresses());
        String problem = problem(link, name, dns, pointsHere, gatewayAddresses, tls, now);
        String summary = problem != null ? problem : servingSummary(tls.certificate(), now, properties.expiryWarning());
        return new NameResult(dns, pointsHere, tls, problem, summary);
    }

    /** What keeps every name of the link from serving, whatever DNS and certificates say; null when nothing. */
    static String linkWide(LinkResponse link) {
        return link.state() != LinkState.ACTIVE ? notSetUp(link) : containerDown(link.health());
    }

    private static String notSetUp(LinkResponse link) {
        return "The gateway has not set up this link yet: it is " + link.state()
                + (link.stateReason() == null ? "" : " (" + link.stateReason() + ")");
    }

    /** Null unless the tunnel health says the link's container is not running. */
    private static String containerDown(LinkHealthView health) {
        return health == null || health.status() != LinkHealthStatus.DOWN ? null
                : "The gateway's container for this link is not running (" + health.container()
                        + "); the gateway restarts it, see the control plane's log";
    }

    /** The first thing a visitor of this name trips over, in the order a user would check them; null when nothing. */
    static String problem(LinkResponse link, String fqdn, ServingProbe.Dns dns, boolean pointsHere,
            List<String> gatewayAddresses, ServingProbe.Tls tls, Instant now) {
        if (link.state() != LinkState.ACTIVE) {
            return notSetUp(link);
        }
        if (dns.error() != null) {
            return "DNS for " + fqdn + " could not be read (" + dns.error() + ")";
        }
        if (dns.addresses().isEmpty()) {
            return "DNS for " + fqdn + " has no A or AAAA record: add one pointing at " + either(gatewayAddresses);
        }
        if (!pointsHere) {
            List<String> elsewhere = dns.addresses().stream().filter(a -> !gatewayAddresses.contains(a)).toList();
            return "DNS for " + fqdn + " points at " + String.join(", ", elsewhere) + ", not this gateway"
                    + (gatewayAddresses.isEmpty() ? "" : " (" + either(gatewayAddresses) + ")");
        }
        LinkHealthView health = link.health();
        String down = containerDown(health);
        if (down != null) {
            return down;
        }
        if (tls.tlsError() != null || tls.certificate() == null) {
            if (health != null && health.status() == LinkHealthStatus.WAITING) {
                return "The home side has never connected: start its client-link with this link's compose snippet "
                        + "(docker compose up -d) and check that UDP port " + link.udpPort()
                        + " is open in the gateway's firewall";
            }
            if (health != null && health.status() == LinkHealthStatus.DISCONNECTED) {
                return "The home side is not connected (last handshake " + health.handshakeAgeSeconds()
                        + " s ago): is its client-link running? See its log";
            }
            return "No certificate yet: the home side is still asking its CA, see its log (docker compose logs on "
                    + "the home server)";
        }
        Certificate certificate = tls.certificate();
        if (!ServingProbe.covers(certificate.names(), fqdn)) {
            return "The certificate is for " + String.join(", ", certificate.names()) + ", not for " + fqdn;
        }
        if (!certificate.notAfter().isAfter(now)) {
            return "The certificate expired on " + certificate.notAfter() + "; the home side could not renew it, "
                    + "see its log";
        }
        if (tls.httpStatus() == null) {
            return "The home side completed TLS but did not answer GET / over HTTP; see its log";
        }
        if (tls.httpStatus() >= 500) {
            return "The home side answers GET / with HTTP " + tls.httpStatus() + ": is " + link.expose()
                    + " running?";
        }
        return null;
    }

    static String servingSummary(Certificate certificate, Instant now, Duration expiryWarning) {
        long days = Duration.between(now, certificate.notAfter()).toDays();
        String expires = "certificate expires in " + days + (days == 1 ? " day" : " days");
        if (Duration.between(now, certificate.notAfter()).compareTo(expiryWarning) < 0) {
            return "Serving, but the " + expires + ": the home side renews it by itself once it reaches its CA, "
                    + "see its log";
        }
        return "Serving: " + expires + " (issued by " + certificate.issuer() + ")"
                + (certificate.trusted() ? "" : "; this gateway's trust store does not know its CA (staging or test?)");
    }

    private static String either(List<String> addresses) {
        return addresses.isEmpty() ? "this gateway" : String.join(" or ", addresses);
    }

    /** {@code gateway_link_certificate_expiry_seconds{fqdn}} per name: seconds left, read at scrape time (NaN: none). */
    private final class CertificateExpiry {

        private volatile Instant notAfter;
        private final Gauge gauge;

        CertificateExpiry(String fqdn) {
            gauge = Gauge.builder("gateway.link.certificate.expiry", this, e -> e.notAfter == null ? Double.NaN
                    : Duration.between(clock.instant(), e.notAfter).toMillis() / 1000.0).baseUnit("seconds")
                    .tag("fqdn", fqdn).description("Seconds until the certificate the link's home side presents "
                            + "expires (NaN: none seen)").register(registry);
        }

        void remove() {
            registry.remove(gauge);
        }
    }
}
