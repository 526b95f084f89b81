package org.selfhostedgateway.provisioning;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;

import org.selfhostedgateway.docker.DockerUnavailableException;
import org.selfhostedgateway.docker.LinkContainerException;
import org.selfhostedgateway.docker.LinkContainers;
import org.selfhostedgateway.docker.LinkContainers.LinkContainer;
import org.selfhostedgateway.link.DataPlaneLinks;
import org.selfhostedgateway.link.LinkChanged;
import org.selfhostedgateway.link.LinkDeployment;
import org.selfhostedgateway.link.LinkState;
import org.selfhostedgateway.nginx.NginxMapPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Brings containers and the NGINX map in line with the database: for one link right after its change commits,
 * and for all links at start and then periodically, so that anything lost to a crash, a reboot or a hand-made
 * change is repaired. All container work runs on one thread, so a full pass never races a single-link change.
 */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final DataPlaneLinks links;
    private final LinkContainers containers;
    private final NginxMapPublisher nginx;
    private final ReconcileProperties properties;
    private final MeterRegistry registry;
    /** Spring's scheduler on one thread: it logs what a task throws, and a periodic pass survives any of it. */
    private final ThreadPoolTaskScheduler worker = new ThreadPoolTaskScheduler();
    /** When each new link's row committed, until it is ACTIVE: the provisioning time users wait. */
    private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    private final Timer provisioning;

    Reconciler(DataPlaneLinks links, LinkContainers containers, NginxMapPublisher nginx,
            ReconcileProperties properties, MeterRegistry registry) {
        this.links = links;
        this.containers = containers;
        this.nginx = nginx;
        this.properties = properties;
        this.registry = registry;
        worker.setPoolSize(1);
        worker.setThreadNamePrefix("reconciler-");
        worker.initialize();
        this.provisioning = Timer.builder("gateway.link.provisioning")
                .description("From a new link's commit to ACTIVE (container running, NGINX routing)")
                .register(registry);
    }

    @EventListener(ApplicationReadyEvent.class)
    void startPeriodicPasses() {
        worker.scheduleWithFixedDelay(this::reconcileAllSafely, properties.interval());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void linkChanged(LinkChanged change) {
        if (change.kind() == LinkChanged.Kind.CREATED) {
            committedAt.put(change.linkId(), System.nanoTime());
        }
        else {
            committedAt.remove(change.linkId());
        }
        worker.execute(() -> reconcileLink(change.linkId()));
    }

    /** Runs a full pass now (on the reconciler's thread) and waits for it. */
    public Report reconcileNow() throws Exception {
        Future<Report> pass = worker.submit(this::reconcileAll);
        return pass.get(5, TimeUnit.MINUTES);
    }

    /** What one full pass found and did. */
    public record Report(int links, int started, int removed, boolean mapServing) {
    }

    private void reconcileLink(String linkId) {
        try {
            links.deployment(linkId).ifPresentOrElse(this::deployThenPublish, () -> {
                containers.remove(linkId);
                nginx.publish();
            });
        }
        catch (DockerUnavailableException e) {
            log.warn("Docker is unavailable; link {} will be handled by the next reconcile pass", linkId);
        }
    }

    private void deployThenPublish(LinkDeployment link) {
        // NGINX resolves a link's container per connection, so the map may go live while the container starts: the
        // two overlap, and the link is ACTIVE once both are done.
        CompletableFuture<NginxMapPublisher.Outcome> published = nginx.publish();
        if (!deploy(link)) {
            return;
        }
        published.thenAccept(outcome -> recordOutcome(List.of(link), outcome));
    }

    private void reconcileAllSafely() {
        try {
            reconcileAll();
            counted("gateway.reconcile.runs", "outcome", "completed");
        }
        catch (DockerUnavailableException e) {
            counted("gateway.reconcile.runs", "outcome", "docker_unavailable");
            log.warn("Docker is unavailable; the next reconcile pass tries again in {}", properties.interval());
        }
        catch (RuntimeException e) {
            counted("gateway.reconcile.runs", "outcome", "failed");
            log.error("Reconcile pass failed", e);
        }
    }

    private void counted(String name, String tag, String value) {
        Counter.builder(name).tag(tag, value).register(registry).increment();
    }

    private Report reconcileAll() {
        List<LinkDeployment> wanted = links.deployments();
        Map<String, LinkContainer> present = containers.list();
        int started = 0;
        List<LinkDeployment> deployed = new java.util.ArrayList<>();
        for (LinkDeployment link : wanted) {
            LinkContainer container = present.get(link.linkId());
            if (container != null && container.restarting()) {
                // The engine's restart policy keeps retrying it with a growing delay: replacing it would only make
                // a new container that fails the same way. Say why, in the container's words.
                markCrashLooping(link, container);
                continue;
            }
            if (container == null || !container.running() || !container.madeFor(link)) {
                log.info("Link {} ({}) has no running container for its ports and keys: starting one", link.linkId(),
                        link.fqdn());
                started++;
                counted("gateway.reconcile.repairs", "action", "container_started");
                if (!deploy(link)) {
                    continue;
                }
            }
            deployed.add(link);
        }
        Set<String> wantedIds = new HashSet<>();
        wanted.forEach(link -> wantedIds.add(link.linkId()));
        int removed = removeContainersWithoutLink(wantedIds, present.keySet());
        NginxMapPublisher.Outcome outcome = nginx.publish().join();
        recordOutcome(deployed, outcome);
        return new Report(wanted.size(), started, removed, outcome.serving());
    }

    private void markCrashLooping(LinkDeployment link, LinkContainer container) {
        String error = containers.lastError(container.containerId()).orElse("it logged nothing");
        links.changeState(link.linkId(), LinkState.FAILED,
                "Its container keeps restarting (Docker retries it, waiting longer each time). Its last error: "
                        + error);
    }

    /** Starts the link's container; a container that cannot be made marks the link FAILED with the reason. */
    private boolean deploy(LinkDeployment link) {
        try {
            containers.deploy(link);
            return true;
        }
        catch (LinkContainerException e) {
            // The container of a link deleted meanwhile may still hold the port (its removal is queued behind
            // this deploy): remove every container without a link, then try once more.
            if (removeOrphans() > 0) {
                try {
                    containers.deploy(link);
                    return true;
                }
                catch (LinkContainerException again) {
                    e = again;
                }
            }
            links.changeState(link.linkId(), LinkState.FAILED, e.getMessage());
            return false;
        }
    }

    private int removeOrphans() {
        Set<String> linkIds = new HashSet<>();
        links.routes().forEach(route -> linkIds.add(route.linkId()));
        return removeContainersWithoutLink(linkIds, containers.list().keySet());
    }

    private int removeContainersWithoutLink(Set<String> linkIds, Set<String> containerLinkIds) {
        int removed = 0;
        for (String linkId : containerLinkIds) {
            if (!linkIds.contains(linkId)) {
                log.info("Container of link {} has no link in the database: removing it", linkId);
                containers.remove(linkId);
                removed++;
                counted("gateway.reconcile.repairs", "action", "container_removed");
            }
        }
        return removed;
    }

    /**
     * A served map makes its links ACTIVE. A refused one fails only the links NGINX does not serve yet: the
     * previous map stays in force, so links that were ACTIVE still are.
     */
    private void recordOutcome(List<LinkDeployment> deployed, NginxMapPublisher.Outcome outcome) {
        for (LinkDeployment link : deployed) {
            if (outcome.serving()) {
                links.changeState(link.linkId(), LinkState.ACTIVE, null);
                Long committed = committedAt.remove(link.linkId());
                if (committed != null) {
                    provisioning.record(Duration.ofNanos(System.nanoTime() - committed));
                }
            }
            else if (link.state() != LinkState.ACTIVE) {
                links.changeState(link.linkId(), LinkState.FAILED, outcome.problem());
            }
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
    }
}
