package org.selfhostedgateway.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;

import org.selfhostedgateway.docker.DockerUnavailableException;
import org.selfhostedgateway.docker.LinkContainers;
import org.selfhostedgateway.docker.LinkContainers.LinkContainer;
import org.selfhostedgateway.docker.WireGuardPeer;
import org.selfhostedgateway.link.DataPlaneLinks;
import org.selfhostedgateway.link.LinkHealthSource;
import org.selfhostedgateway.link.LinkHealthStatus;
import org.selfhostedgateway.link.LinkHealthView;
import org.selfhostedgateway.link.LinkState;
import org.selfhostedgateway.link.LinkSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Measures every link's tunnel on one schedule and keeps the result in memory: HTTP requests and Prometheus scrapes
 * read it and never reach Docker. A sweep is one container list plus one WireGuard probe per running
 * link container, at most {@link HealthProperties#parallelism()} at once.
 */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class LinkHealthMonitor implements LinkHealthSource {

    private static final Logger log = LoggerFactory.getLogger(LinkHealthMonitor.class);
    private static final String MISSING = "missing";

    private final DataPlaneLinks links;
    private final LinkContainers containers;
    private final HealthProperties properties;
    private final Clock clock;
    private final MeterRegistry registry;
    /** Sweeps run on one thread of Spring's scheduler, so two never overlap; their probes on a pool of their own. */
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final ThreadPoolTaskExecutor probes = new ThreadPoolTaskExecutor();
    private final Timer sweepTimer;

    private volatile Map<String, LinkHealthView> current = Map.of();
    /** The newest handshake ever seen per link: it outlives a recreated container, whose own counter restarts. */
    private final Map<String, Instant> lastHandshakes = new ConcurrentHashMap<>();
    private final Map<String, LinkMeters> linkMeters = new ConcurrentHashMap<>();
    private final Map<LinkState, AtomicInteger> byState = new EnumMap<>(LinkState.class);
    private final Map<LinkHealthStatus, AtomicInteger> byHealth = new EnumMap<>(LinkHealthStatus.class);

    LinkHealthMonitor(DataPlaneLinks links, LinkContainers containers, HealthProperties properties, Clock clock,
            MeterRegistry registry) {
        this.links = links;
        this.containers = containers;
        this.properties = properties;
        this.clock = clock;
        this.registry = registry;
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix("link-health-");
        scheduler.initialize();
        probes.setCorePoolSize(properties.parallelism());
        probes.setMaxPoolSize(properties.parallelism());
        probes.setThreadNamePrefix("link-health-probe-");
        probes.initialize();
        this.sweepTimer = Timer.builder("gateway.health.sweep")
                .description("One health sweep over all links: a container list and a WireGuard probe per running link")
                .register(registry);
        for (LinkState state : LinkState.values()) {
            byState.put(state, new AtomicInteger());
            Gauge.builder("gateway.links", byState.get(state), AtomicInteger::get).tag("state", state.name())
                    .description("Links by state").register(registry);
        }
        for (LinkHealthStatus status : LinkHealthStatus.values()) {
            byHealth.put(status, new AtomicInteger());
            Gauge.builder("gateway.links.health", byHealth.get(status), AtomicInteger::get)
                    .tag("status", status.name()).description("Links by tunnel health").register(registry);
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void startSweeping() {
        scheduler.scheduleWithFixedDelay(this::sweepSafely, properties.interval());
    }

    @Override
    public Optional<LinkHealthView> health(String linkId) {
        return Optional.ofNullable(current.get(linkId));
    }

    /** Runs a sweep now, on the sweeper's thread so it never overlaps a scheduled one, and waits for it. */
    Sweep sweepNow() throws Exception {
        return scheduler.submit(this::sweep).get(5, TimeUnit.MINUTES);
    }

    /** What one sweep cost: links looked at, container lists, WireGuard probes, time taken. */
    record Sweep(int links, int containerLists, int probes, Duration took) {
    }

    private void sweepSafely() {
        try {
            sweep();
        }
        catch (DockerUnavailableException e) {
            log.warn("Docker is unavailable; link health is retried in {}", properties.interval());
        }
        catch (RuntimeException e) {
            log.error("Link health sweep failed", e);
        }
    }

    private Sweep sweep() {
        long started = System.nanoTime();
        List<LinkSummary> all = links.summaries();
        Map<String, LinkContainer> present = containers.list();
        Map<String, Future<Optional<WireGuardPeer>>> peers = new HashMap<>();
        for (LinkSummary link : all) {
            LinkContainer container = present.get(link.linkId());
            if (container != null && container.running()) {
                Callable<Optional<WireGuardPeer>> probe = () -> containers.wireGuardPeer(container);
                peers.put(link.linkId(), probes.submit(probe));
            }
        }
        Instant checkedAt = clock.instant();
        Map<String, LinkHealthView> views = new HashMap<>();
        for (LinkSummary link : all) {
            LinkContainer container = present.get(link.linkId());
            Optional<WireGuardPeer> peer = peers.containsKey(link.linkId()) ? await(peers.get(link.linkId()))
                    : Optional.empty();
            LinkHealthView view = judge(link, container, peer, checkedAt);
            views.put(link.linkId(), view);
            peer.map(WireGuardPeer::endpoint)
                    .filter(endpoint -> !endpoint.equals(link.clientEndpoint()))
                    .ifPresent(endpoint -> {
                        links.recordClientEndpoint(link.linkId(), endpoint);
                        containers.recordClientEndpoint(link.linkId(), endpoint);
                    });
        }
        current = Map.copyOf(views);
        updateMeters(all, views);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        sweepTimer.record(took);
        return new Sweep(all.size(), 1, peers.size(), took);
    }

    private LinkHealthView judge(LinkSummary link, LinkContainer container, Optional<WireGuardPeer> peer,
            Instant checkedAt) {
        String containerState = container == null ? MISSING : container.state();
        Instant seen = peer.map(WireGuardPeer::latestHandshake).orElse(null);
        if (seen != null) {
            lastHandshakes.merge(link.linkId(), seen, (a, b) -> a.isAfter(b) ? a : b);
        }
        Instant lastHandshake = lastHandshakes.get(link.linkId());
        Long age = lastHandshake == null ? null : Math.max(0, Duration.between(lastHandshake, checkedAt).toSeconds());
        long rx = peer.map(WireGuardPeer::rxBytes).orElse(0L);
        long tx = peer.map(WireGuardPeer::txBytes).orElse(0L);
        LinkHealthStatus status;
        if (container == null || !container.running() || peer.isEmpty()) {
            status = LinkHealthStatus.DOWN; // no running container, or no WireGuard interface in it
        }
        else if (seen != null && Duration.between(seen, checkedAt).compareTo(properties.staleAfter()) <= 0) {
            status = LinkHealthStatus.CONNECTED;
        }
        else if (lastHandshake != null || link.clientEndpoint() != null) {
            status = LinkHealthStatus.DISCONNECTED; // a client was here before (this process or a stored endpoint)
        }
        else {
            status = LinkHealthStatus.WAITING;
        }
        return new LinkHealthView(status, containerState, lastHandshake, age, rx, tx, checkedAt);
    }

    private Optional<WireGuardPeer> await(Future<Optional<WireGuardPeer>> probe) {
        try {
            return probe.get(30, TimeUnit.SECONDS);
        }
        catch (ExecutionException e) {
            log.debug("A WireGuard probe failed", e.getCause());
            return Optional.empty();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        catch (java.util.concurrent.TimeoutException e) {
            probe.cancel(true);
            return Optional.empty();
        }
    }

    private void updateMeters(List<LinkSummary> all, Map<String, LinkHealthView> views) {
        Map<LinkState, Integer> states = new EnumMap<>(LinkState.class);
        Map<LinkHealthStatus, Integer> statuses = new EnumMap<>(LinkHealthStatus.class);
        for (LinkSummary link : all) {
            states.merge(link.state(), 1, Integer::sum);
            LinkHealthView view = views.get(link.linkId());
            statuses.merge(view.status(), 1, Integer::sum);
            linkMeters.computeIfAbsent(link.linkId(), id -> new LinkMeters(link.fqdn())).update(view);
        }
        byState.forEach((state, gauge) -> gauge.set(states.getOrDefault(state, 0)));
        byHealth.forEach((status, gauge) -> gauge.set(statuses.getOrDefault(status, 0)));
        // Deleted links leave no series behind: a gateway with churn must not grow its registry forever.
        for (String linkId : new ArrayList<>(linkMeters.keySet())) {
            if (!views.containsKey(linkId)) {
                linkMeters.remove(linkId).remove();
                lastHandshakes.remove(linkId);
            }
        }
    }

    /** One link's series, tagged by fqdn; values are those of the last sweep. */
    private final class LinkMeters {

        private volatile long rx;
        private volatile long tx;
        private volatile double handshakeAge = Double.NaN;
        private final List<Meter> meters = new ArrayList<>();

        LinkMeters(String fqdn) {
            meters.add(FunctionCounter.builder("gateway.link.received", this, m -> m.rx).baseUnit("bytes")
                    .tag("fqdn", fqdn).description("Bytes the gateway received from the link's client (restarts at "
                            + "0 when the gateway-link container is recreated)").register(registry));
            meters.add(FunctionCounter.builder("gateway.link.sent", this, m -> m.tx).baseUnit("bytes")
                    .tag("fqdn", fqdn).description("Bytes the gateway sent to the link's client").register(registry));
            meters.add(Gauge.builder("gateway.link.handshake.age", this, m -> m.handshakeAge).baseUnit("seconds")
                    .tag("fqdn", fqdn).description("Seconds since the link's last WireGuard handshake (NaN: never)")
                    .register(registry));
        }

        void update(LinkHealthView view) {
            rx = view.rxBytes();
            tx = view.txBytes();
            handshakeAge = view.handshakeAgeSeconds() == null ? Double.NaN : view.handshakeAgeSeconds();
        }

        void remove() {
            meters.forEach(registry::remove);
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdown();
        probes.shutdown();
    }
}
