package org.selfhostedgateway.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.selfhostedgateway.capacity.HostCapacity;
import org.selfhostedgateway.capacity.HostCapacity.Limit;
import org.selfhostedgateway.capacity.HostCapacity.Snapshot;
import org.selfhostedgateway.link.DataPlaneLinks;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The host's link capacity as the {@code capacity} health component (for token holders) and as metrics. It stays UP
 * when the host is full: the links it has keep serving, only new ones are refused.
 */
@Component("capacity")
class CapacityHealth implements HealthIndicator {

    private static final double NOT_KNOWN = Double.NaN;
    private static final long REUSE_NANOS = 1_000_000_000L;

    private final HostCapacity capacity;
    private final DataPlaneLinks links;
    private volatile Measured lastMeasured;

    CapacityHealth(HostCapacity capacity, DataPlaneLinks links, MeterRegistry registry) {
        this.capacity = capacity;
        this.links = links;
        Gauge.builder("gateway.capacity.links", this, health -> health.recent().capacity())
                .description("The most links this host can run: the smallest of the limits").register(registry);
        for (Limit limit : Limit.values()) {
            Gauge.builder("gateway.capacity.limit.links", this,
                    health -> {
                        Integer allowed = health.recent().limits().get(limit);
                        return allowed == null ? NOT_KNOWN : allowed;
                    })
                    .tag("limit", limit.key()).description("Links this host can run as one limit allows")
                    .register(registry);
        }
        Gauge.builder("gateway.host.memory.available", this,
                health -> (double) health.recent().memoryAvailable().orElse(-1)).baseUnit("bytes")
                .description("The kernel's MemAvailable").register(registry);
        Gauge.builder("gateway.host.threads", this, health -> health.recent().threads().orElse(-1))
                .description("Processes and threads on the host (/proc/loadavg)").register(registry);
        Gauge.builder("gateway.host.threads.max", this, health -> health.recent().maxThreads().orElse(-1))
                .description("The kernel's bound on them: the smaller of kernel.pid_max and kernel.threads-max")
                .register(registry);
        Gauge.builder("gateway.host.inotify.max.user.instances", this,
                health -> health.recent().inotifyMaxUserInstances().orElse(-1))
                .description("fs.inotify.max_user_instances; each link's WireGuard uses one under its own user")
                .register(registry);
    }

    /** One scrape reads ten gauges: they share one measure (a count of links, a few /proc files) for a second. */
    private Snapshot recent() {
        Measured last = lastMeasured;
        return last != null && System.nanoTime() - last.atNanos() <= REUSE_NANOS ? last.snapshot() : now();
    }

    private Snapshot now() {
        Snapshot snapshot = capacity.measure(links.count());
        lastMeasured = new Measured(snapshot, System.nanoTime());
        return snapshot;
    }

    private record Measured(Snapshot snapshot, long atNanos) {
    }

    @Override
    public Health health() {
        Snapshot now = now();
        Map<String, Object> limits = new LinkedHashMap<>();
        now.limits().forEach((limit, allowed) -> limits.put(limit.key(), allowed));
        Health.Builder health = Health.up().withDetail("links", now.links()).withDetail("capacity", now.capacity())
                .withDetail("limitedBy", now.limitedBy().key()).withDetail("limits", limits)
                .withDetail("full", now.links() >= now.capacity())
                .withDetail("memoryPerLinkBytes", now.memoryPerLink())
                .withDetail("memoryReserveBytes", now.memoryReserve());
        now.memoryAvailable().ifPresent(bytes -> health.withDetail("memoryAvailableBytes", bytes));
        now.threads().ifPresent(threads -> health.withDetail("threads", threads));
        now.maxThreads().ifPresent(max -> health.withDetail("maxThreads", max));
        health.withDetail("threadsPerLink", now.threadsPerLink());
        now.inotifyMaxUserInstances().ifPresent(max -> health.withDetail("inotifyMaxUserInstances", max)
                .withDetail("inotifyInstancesPerLink", "1, counted against the link's own WireGuard user"));
        return health.build();
    }
}
