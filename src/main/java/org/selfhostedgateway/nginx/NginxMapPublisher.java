package org.selfhostedgateway.nginx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;

import org.selfhostedgateway.docker.NginxContainers;
import org.selfhostedgateway.link.DataPlaneLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Keeps NGINX's map equal to the database. Each publish renders the whole file from the database, writes it
 * atomically, has NGINX check it, and only then reloads (asked through {@link NginxControlFiles}, never by exec); a file that fails the check is replaced by the previous
 * one, which stays in force. Requests that arrive within {@link NginxProperties#coalesce()} share one reload.
 */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
public class NginxMapPublisher {

    private static final Logger log = LoggerFactory.getLogger(NginxMapPublisher.class);

    private final DataPlaneLinks links;
    private final NginxContainers nginx;
    private final NginxProperties properties;
    private final MeterRegistry registry;
    /** NGINX checks a 5,000-link map in tens of milliseconds; a busy host may take far longer, but not forever. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /** What an NGINX whose configuration includes links.access says with its "ok" to a check. */
    static final String ACCESS_RULES_SUPPORTED = "access-rules";

    private final NginxControlFiles control;
    /** One thread (Spring's scheduler): publishes never overlap, and requests wait there to be coalesced. */
    private final ThreadPoolTaskScheduler worker = new ThreadPoolTaskScheduler();

    private CompletableFuture<Outcome> next;

    /** The map NGINX was last reloaded with; an unchanged map needs no reload. Only touched by the worker. */
    private String servedMap;

    /** The access rules NGINX was last reloaded with, likewise. */
    private String servedAccess;

    NginxMapPublisher(DataPlaneLinks links, NginxContainers nginx, NginxProperties properties,
            MeterRegistry registry) {
        this.links = links;
        this.nginx = nginx;
        this.properties = properties;
        this.registry = registry;
        this.control = new NginxControlFiles(properties.linksDir());
        worker.setPoolSize(1);
        worker.setThreadNamePrefix("nginx-map-");
        worker.initialize();
    }

    /** What a publish did: whether NGINX now serves the database's map, and why not. */
    public record Outcome(boolean serving, String problem) {
    }

    /**
     * Asks for the map to be published. The future completes after a publish that read the database after this
     * call, so a change committed before the call is in it.
     */
    public synchronized CompletableFuture<Outcome> publish() {
        if (next == null) {
            next = new CompletableFuture<>();
            worker.schedule(this::publishPending, Instant.now().plus(properties.coalesce()));
        }
        return next;
    }

    private void publishPending() {
        CompletableFuture<Outcome> waiting;
        synchronized (this) {
            waiting = next;
            next = null;
        }
        Outcome outcome;
        try {
            outcome = apply(LinkMap.render(links.routes()), LinkAccessFile.render(links.ipRules()));
        }
        catch (RuntimeException e) {
            log.warn("Publishing the NGINX map failed", e);
            outcome = new Outcome(false, "Publishing the NGINX map failed: " + e.getMessage());
        }
        waiting.complete(outcome);
    }

    /**
     * Writes this map beside the live one, has NGINX check a configuration that includes it, and only then moves
     * it over the live file and reloads. The live file therefore only ever holds a map that NGINX accepted: a
     * refused one never becomes visible, even to an NGINX that restarts meanwhile.
     */
    Outcome apply(String map) {
        // With no link's IP rules: for benchmarks of the map alone; publishes always pass the rules.
        return apply(map, LinkAccessFile.render(List.of()));
    }

    /**
     * As {@link #apply(String)}, with the links' IP rules ({@link LinkAccessFile}): both files are checked together
     * and go live together, the rules first, so an NGINX that starts in between never serves a link without them.
     * One at a time: the publisher's worker calls it, and so do benchmarks from their own thread, and two callers
     * would move each other's candidate files away.
     */
    synchronized Outcome apply(String map, String access) {
        Path dir = properties.linksDir();
        Path live = dir.resolve(LinkMap.FILE_NAME);
        Path candidate = dir.resolve(LinkMap.CANDIDATE_FILE_NAME);
        Path liveAccess = dir.resolve(LinkAccessFile.FILE_NAME);
        Path candidateAccess = dir.resolve(LinkAccessFile.CANDIDATE_FILE_NAME);
        try {
            if (map.equals(servedMap) && access.equals(servedAccess) && Files.exists(live)
                    && map.equals(Files.readString(live)) && Files.exists(liveAccess)
                    && access.equals(Files.readString(liveAccess))) {
                return new Outcome(true, null);
            }
            servedMap = null;
            servedAccess = null;
            Files.createDirectories(dir);
            NginxControlFiles.writeAtomically(candidate, map);
            NginxControlFiles.writeAtomically(candidateAccess, access);
            String written = Files.readString(candidate, StandardCharsets.UTF_8);
            String writtenAccess = Files.readString(candidateAccess, StandardCharsets.UTF_8);
            if (!written.equals(map) || LinkMap.entries(written) != LinkMap.entries(map)
                    || !writtenAccess.equals(access) || LinkAccessFile.links(writtenAccess) != LinkAccessFile.links(access)) {
                deleteCandidates(candidate, candidateAccess);
                return new Outcome(false, "The NGINX map on disk does not match what was written; the previous "
                        + "one stays in force");
            }
            List<String> instances = nginx.running();
            if (instances.isEmpty()) {
                deleteCandidates(candidate, candidateAccess);
                return new Outcome(false, "No gateway NGINX container is running " + nginx.whereExpected());
            }
            Timer.Sample reloading = Timer.start(registry);
            NginxControlFiles.Answer check = control.ask("check", instances.size(), ANSWER_TIMEOUT);
            if (!check.ok()) {
                reloaded(reloading, "refused");
                deleteCandidates(candidate, candidateAccess);
                log.warn("NGINX refused the new map, the previous one stays in force: {}", check.words());
                return new Outcome(false, "NGINX refused the new map, the previous one stays in force: "
                        + check.words());
            }
            if (LinkAccessFile.links(access) > 0 && !check.words().contains(ACCESS_RULES_SUPPORTED)) {
                // An image from before access rules never includes links.access: say so loudly, rather than let
                // an allow list look in force. Routing itself is unaffected, so the map is still published.
                log.warn("The gateway NGINX did not confirm that it enforces visitor IP rules: its image predates "
                        + "them, so links' allow and deny lists are NOT in force. Rebuild it (scripts/start-gateway.sh "
                        + "builds the gateway-nginx image).");
            }
            Files.move(candidateAccess, liveAccess, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(candidate, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            NginxControlFiles.Answer reload = control.ask("reload", instances.size(), ANSWER_TIMEOUT);
            if (!reload.ok()) {
                reloaded(reloading, "failed");
                return new Outcome(false, "NGINX did not reload: " + reload.words());
            }
            servedMap = map;
            servedAccess = access;
            reloaded(reloading, "success");
            log.debug("NGINX serves {} links", LinkMap.entries(map));
            return new Outcome(true, null);
        }
        catch (IOException e) {
            return new Outcome(false, "Cannot write the NGINX map in " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteCandidates(Path... candidates) throws IOException {
        for (Path candidate : candidates) {
            Files.deleteIfExists(candidate);
        }
    }

    /** Check plus reload, by outcome: success, refused (nginx -t failed) or failed (the reload itself). */
    private void reloaded(Timer.Sample sample, String outcome) {
        sample.stop(Timer.builder("gateway.nginx.reload").description("NGINX map check and reload")
                .tag("outcome", outcome).register(registry));
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
    }
}
