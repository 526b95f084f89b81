package org.selfhostedgateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.BenchmarkRows;
import org.selfhostedgateway.GatewayApplication;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.docker.LinkContainers;
import org.selfhostedgateway.docker.WireGuardPeer;
import org.selfhostedgateway.health.HealthSweeps;
import org.selfhostedgateway.link.LinkDeployment;
import org.selfhostedgateway.link.DataPlaneLinks;
import org.selfhostedgateway.link.LinkState;
import org.selfhostedgateway.link.LinkSummary;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Not a test: prints what one health sweep costs. Part 1 sweeps {@code BENCH_REAL_LINKS} (60) real idle gateway-link
 * containers made by the control plane. Part 2 sweeps 1,000 links: the container list is faked (one counted call)
 * and the 1,000 execs are real, spread over the same real containers. Run with
 * {@code ./mvnw test -Dtest=HealthSweepBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; see
 * benchmarks/health/README.md.
 */
class HealthSweepBenchmark {

    private static final int REAL_LINKS = Integer.parseInt(System.getenv().getOrDefault("BENCH_REAL_LINKS", "60"));
    private static final int MODELLED_LINKS = 1000;
    private static final int PARALLELISM = Integer.parseInt(System.getenv().getOrDefault("BENCH_PARALLELISM", "8"));
    private static final int RUNS = 5;
    /** GATEWAY_HEALTH_INTERVAL as shipped, read from application.yml: what the CPU share is reported against. */
    private static final Duration SHIPPED_INTERVAL = shippedDefault("GATEWAY_HEALTH_INTERVAL");

    @Test
    void oneHealthSweep() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path dataDir = Files.createTempDirectory("gateway-health-bench");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--gateway.data.dir=" + dataDir, "--gateway.docker.enabled=true",
                "--gateway.docker.network=sg-bench-health-" + run, "--gateway.docker.gateway-id=bench-" + run,
                "--gateway.nginx.links-dir=" + dataDir.resolve("links"), "--gateway.ports.first=47600",
                "--gateway.ports.last=47799", "--gateway.reconcile.interval=1h", "--gateway.health.interval=1h",
                "--gateway.health.parallelism=" + PARALLELISM, "--logging.level.root=WARN")) {
            TestApi api = new TestApi(((WebServerApplicationContext) app).getWebServer().getPort());
            DataPlaneLinks links = app.getBean(DataPlaneLinks.class);
            LinkContainers real = app.getBean(LinkContainers.class);
            try {
                long made = System.nanoTime();
                for (int i = 0; i < REAL_LINKS; i++) {
                    assertThat(api.createLink("l" + i + ".health-bench.example.test", "app:80").status())
                            .isEqualTo(201);
                }
                waitForRunning(real, REAL_LINKS);
                double makeSeconds = (System.nanoTime() - made) / 1e9;
                HealthSweeps.sweepOnce(links, real, PARALLELISM); // warm-up

                List<Double> listMillis = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    long start = System.nanoTime();
                    real.list();
                    listMillis.add((System.nanoTime() - start) / 1e6);
                }
                Counting counting = new Counting(real, null);
                List<HealthSweeps.Result> realSweeps = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    realSweeps.add(HealthSweeps.sweepOnce(links, counting, PARALLELISM));
                }
                HealthSweeps.Result realSweep = median(realSweeps);

                // 1,000 links: a counted fake list, 1,000 real probes of the real containers' WireGuard.
                List<LinkContainers.LinkContainer> realContainers = new ArrayList<>(real.list().values());
                List<LinkSummary> thousand = new ArrayList<>();
                Map<String, LinkContainers.LinkContainer> listed = new HashMap<>();
                for (int i = 0; i < MODELLED_LINKS; i++) {
                    String id = "bench-" + i;
                    thousand.add(new LinkSummary(id, "m" + i + ".example.test", LinkState.ACTIVE, null,
                            Instant.EPOCH));
                    LinkContainers.LinkContainer probed = realContainers.get(i % realContainers.size());
                    listed.put(id, new LinkContainers.LinkContainer(probed.linkId(), probed.containerId(), true,
                            "running", probed.ports()));
                }
                DataPlaneLinks thousandLinks = mock(DataPlaneLinks.class);
                when(thousandLinks.summaries()).thenReturn(thousand);
                Counting thousandCounting = new Counting(real, listed);
                List<HealthSweeps.Result> bigSweeps = new ArrayList<>();
                long sweepsFrom = Instant.now().getEpochSecond();
                long cpuBefore = processCpuNanos();
                for (int i = 0; i < 3; i++) {
                    bigSweeps.add(HealthSweeps.sweepOnce(thousandLinks, thousandCounting, PARALLELISM));
                }
                double cpuPerSweepMillis = (processCpuNanos() - cpuBefore) / 3 / 1e6;
                long execs = execsIntoLinks("bench-" + run, sweepsFrom);
                HealthSweeps.Result bigSweep = median(bigSweeps);
                double defaultIntervalMillis = SHIPPED_INTERVAL.toMillis();

                List<String> rows = List.of(
                        row("make " + REAL_LINKS + " gateway-link containers through the API",
                                String.format("%.1f s", makeSeconds)),
                        row("`docker ps` of " + REAL_LINKS + " link containers",
                                String.format("%.1f ms (median)", sorted(listMillis).get(RUNS / 2))),
                        row("real sweep, " + realSweep.links() + " links", String.format(
                                "**%.0f ms**, Docker calls: %d list, WireGuard probes: %d (%s)",
                                realSweep.took().toNanos() / 1e6, realSweep.containerLists(), realSweep.probes(),
                                realSweep.byStatus())),
                        row("one probe: wireguard-go's control socket (`get=1`), no process started",
                                String.format("%.2f ms mean", counting.meanProbeMillis())),
                        row("sweep of " + bigSweep.links() + " links (fake list, real probes of " + realContainers.size()
                                + " containers)", String.format("**%.0f ms**, %d probes, %.2f ms each",
                                bigSweep.took().toNanos() / 1e6, bigSweep.probes(),
                                thousandCounting.meanProbeMillis())),
                        row("`docker exec` into the links during the three 1,000-link sweeps (engine events)",
                                String.valueOf(execs)),
                        row("control-plane CPU per 1,000-link sweep", String.format("%.0f ms", cpuPerSweepMillis)),
                        row("share of one CPU at the default interval (" + (long) (defaultIntervalMillis / 1000)
                                + " s), 1,000 links", String.format("**%.2f %%**",
                                cpuPerSweepMillis / defaultIntervalMillis * 100)));
                BenchmarkRows.record("health_sweep_1000_ms", String.format("%.0f", bigSweep.took().toNanos() / 1e6));
                BenchmarkRows.record("health_execs_per_sweep", String.valueOf(execs / 3));
                BenchmarkRows.record("health_cpu_share_pct", String.format("%.2f at %d s",
                        cpuPerSweepMillis / defaultIntervalMillis * 100, (long) (defaultIntervalMillis / 1000)));
                String table = "| what | figure |\n| --- | --- |\n" + String.join("\n", rows) + "\n";
                System.out.println(table);
                Files.writeString(Path.of("benchmarks", "health", "RESULTS.md"), "# Link health sweep: results\n\n"
                        + "Written by `HealthSweepBenchmark` on " + Instant.now() + ": "
                        + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty(
                                "java.version") + ", parallelism " + PARALLELISM + ", idle gateway-links "
                        + "(wireguard-go); see [README.md](README.md).\n\n" + table);
            }
            finally {
                for (var container : real.list().values()) {
                    real.remove(container.linkId());
                }
                var docker = DockerClientFactory.instance().client();
                docker.removeNetworkCmd("sg-bench-health-" + run).exec();
            }
        }
    }

    /** Execs the engine started in this gateway's link containers since {@code sinceEpochSecond}, from its events. */
    private static long execsIntoLinks(String gatewayId, long sinceEpochSecond) throws InterruptedException {
        List<String> execs = Collections.synchronizedList(new ArrayList<>());
        DockerClientFactory.instance().client().eventsCmd()
                .withSince(String.valueOf(sinceEpochSecond))
                .withUntil(String.valueOf(Instant.now().getEpochSecond() + 1))
                .withEventFilter("exec_create")
                .withLabelFilter(Map.of("io.selfhosted-gateway.gateway", gatewayId))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        execs.add(event.getId());
                    }
                })
                .awaitCompletion();
        return execs.size();
    }

    /** The default of {@code ${NAME:default}} in the shipped application.yml. */
    static Duration shippedDefault(String variable) {
        try (var yaml = GatewayApplication.class.getResourceAsStream("/application.yml")) {
            Matcher matcher = Pattern.compile("\\$\\{" + variable + ":([^}]+)}")
                    .matcher(new String(yaml.readAllBytes(), StandardCharsets.UTF_8));
            if (!matcher.find()) {
                throw new IllegalStateException(variable + " has no default in application.yml");
            }
            return DurationStyle.detectAndParse(matcher.group(1));
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitForRunning(LinkContainers containers, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (containers.list().values().stream().filter(LinkContainers.LinkContainer::running).count() < count) {
            assertThat(System.nanoTime()).as("containers running within 5 min").isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static String row(String what, String figure) {
        return "| " + what + " | " + figure + " |";
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static HealthSweeps.Result median(List<HealthSweeps.Result> results) {
        List<HealthSweeps.Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.took().compareTo(b.took()));
        return sorted.get(sorted.size() / 2);
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    /** Counts what reaches the engine; lists from {@code listed} (a fake, still counted) when given. */
    private static final class Counting implements LinkContainers {

        private final LinkContainers real;
        private final Map<String, LinkContainer> listed;
        private final AtomicInteger probes = new AtomicInteger();
        private final AtomicLong probeNanos = new AtomicLong();

        Counting(LinkContainers real, Map<String, LinkContainer> listed) {
            this.real = real;
            this.listed = listed;
        }

        @Override
        public Map<String, LinkContainer> list() {
            return listed != null ? listed : real.list();
        }

        @Override
        public Optional<WireGuardPeer> wireGuardPeer(LinkContainers.LinkContainer container) {
            long start = System.nanoTime();
            try {
                return real.wireGuardPeer(container);
            }
            finally {
                probes.incrementAndGet();
                probeNanos.addAndGet(System.nanoTime() - start);
            }
        }

        double meanProbeMillis() {
            return probes.get() == 0 ? 0 : probeNanos.get() / 1e6 / probes.get();
        }

        @Override
        public void deploy(LinkDeployment link) {
            real.deploy(link);
        }

        @Override
        public void remove(String linkId) {
            real.remove(linkId);
        }

        @Override
        public void recordClientEndpoint(String linkId, String endpoint) {
            real.recordClientEndpoint(linkId, endpoint);
        }

        @Override
        public Optional<String> lastError(String containerId) {
            return real.lastError(containerId);
        }
    }
}
