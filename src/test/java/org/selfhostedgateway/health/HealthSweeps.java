package org.selfhostedgateway.health;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.selfhostedgateway.docker.LinkContainers;
import org.selfhostedgateway.link.DataPlaneLinks;

/** For benchmarks outside this package: one sweep by a monitor made for the occasion. */
public final class HealthSweeps {

    private HealthSweeps() {
    }

    /** What one sweep cost and found. */
    public record Result(int links, int containerLists, int probes, Duration took, Map<String, Integer> byStatus) {
    }

    public static Result sweepOnce(DataPlaneLinks links, LinkContainers containers, int parallelism) throws Exception {
        LinkHealthMonitor monitor = new LinkHealthMonitor(links, containers,
                new HealthProperties(Duration.ofHours(1), Duration.ofSeconds(180), parallelism), Clock.systemUTC(),
                new SimpleMeterRegistry());
        try {
            LinkHealthMonitor.Sweep sweep = monitor.sweepNow();
            Map<String, Integer> byStatus = new TreeMap<>();
            for (var summary : links.summaries()) {
                monitor.health(summary.linkId()).ifPresent(view -> byStatus.merge(view.status().name(), 1,
                        Integer::sum));
            }
            return new Result(sweep.links(), sweep.containerLists(), sweep.probes(), sweep.took(), byStatus);
        }
        finally {
            monitor.stop();
        }
    }
}
