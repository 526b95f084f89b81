package org.selfhostedgateway.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.selfhostedgateway.capacity.HostCapacity;
import org.selfhostedgateway.capacity.HostCapacity.Limit;
import org.selfhostedgateway.capacity.HostCapacity.Snapshot;
import org.selfhostedgateway.link.LinkService;

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

    private final HostCapacity capacity;
    private final LinkService links;

    CapacityHealth(HostCapacity capacity, LinkService links, MeterRegistry registry) {
        this.capacity = capacity;
        this.links = links;
        Gauge.builder("gateway.capacity.links", this, health -> health.now().capacity())
                .description("The most links this host can run: the smallest of the limits").register(registry);
        for (Limit limit : Limit.values()) {
            Gauge.builder("gateway.capacity.limit.links", this,
                    health -> {
                        Integer allowed = health.now().limits().get(limit);
                        return allowed == null ? NOT_KNOWN : allowed;
                    })
                    .tag("limit", limit.key()).description("Links this host can run as one limit allows")
                    .register(registry);
        }
        Gauge.builder("gateway.host.memory.available", this,
                health -> (double) health.now().memoryAvailable().orElse(-1)).baseUnit("bytes")
                .description("The kernel's MemAvailable").register(registry);
        Gauge.builder("gateway.host.threads", this, health -> health.now().threads().orElse(-1))
                .description("Processes and threads on the host (/proc/loadavg)").register(registry);
        Gauge.builder("gateway.host.threads.max", this, health -> health.now().maxThreads().orElse(-1))
                .description("The kernel's bound on them: the smaller of kernel.pid_max and kernel.threads-max")
                .register(registry);
        Gauge.builder("gateway.host.inotify.max.user.instances", this,
                health -> health.now().inotifyMaxUserInstances().orElse(-1))
                .description("fs.inotify.max_user_instances; each link's WireGuard uses one under its own user")
                .register(registry);
    }

    private Snapshot now() {
        return capacity.measure(links.count());
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
