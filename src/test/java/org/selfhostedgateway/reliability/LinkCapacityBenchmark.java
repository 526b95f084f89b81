package org.selfhostedgateway.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: how many links this host runs at once, what each costs in host memory, how long creating them takes,
 * and how long they all take to serve again when the engine starts them all at once after a power cut (a boot
 * storm). Writes benchmarks/capacity/RESULTS.md. Run with
 * {@code scripts/test.sh -Dtest=LinkCapacityBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; BENCH_LINKS
 * (default 1000) sets the number of links. The boot storm needs the engine that scripts/docker-engine.sh started.
 */
class LinkCapacityBenchmark {

    private static final int LINKS = Integer.parseInt(System.getenv().getOrDefault("BENCH_LINKS", "1000"));
    private static final int FIRST_PORT = 40000;
    private static final Path ENGINE_SCRIPT = Path.of("scripts", "docker-engine.sh");
    private static final Path ENGINE_PID_FILE = Path.of("/run/selfhosted-gateway-dockerd.pid");
    private static final Path RESULTS = Path.of("benchmarks", "capacity", "RESULTS.md");
    /** How long the engine alone gets to start every link container again before the control plane starts. */
    private static final Duration ENGINE_ALONE = Duration.ofMinutes(5);

    @Test
    void linksOnOneHost() throws Exception {
        List<String> rows = new ArrayList<>();
        try (GatewayFixture gateway = new GatewayFixture(FIRST_PORT, FIRST_PORT + LINKS - 1)) {
            TestApi api = gateway.startInJvm("--gateway.reconcile.interval=60s", "--gateway.health.interval=1h",
                    "--logging.level.org.selfhostedgateway=WARN");
            long availableBefore = memAvailable();
            Instant start = Instant.now();
            for (int i = 0; i < LINKS; i++) {
                TestApi.Reply created = api.createLink("c" + i + ".capacity.example.test", "c" + i + ":80");
                assertThat(created.status()).as("create %d: %s", i, created).isEqualTo(201);
            }
            Duration answered = Duration.between(start, Instant.now());
            gateway.awaitConverged(api, Duration.ofMinutes(60));
            Duration converged = Duration.between(start, Instant.now());
            Readiness ready = readiness(gateway, null);
            assertThat(ready.notReady()).as("link containers without WireGuard up").isEmpty();
            Thread.sleep(5000); // let the page cache and the engine settle before memory is read
            long availableAfter = memAvailable();
            Map<String, Long> pss = byCommand("smaps_rollup");
            Map<String, Long> threads = byCommand("task");

            rows.add(row("links running at once, WireGuard up, none restarted", LINKS + " of " + LINKS));
            rows.add(row("time per link, creating them one after another", String.format("%.2f s",
                    converged.toMillis() / 1000.0 / LINKS)));
            rows.add(row("fs.inotify.max_user_instances on this host", readProc("sys/fs/inotify/max_user_instances")));
            rows.add(row("time to create them (every POST answered)", seconds(answered)));
            rows.add(row("time until every link is ACTIVE with its container running and in the NGINX map",
                    seconds(converged)));
            rows.add(row("host memory per link: fall of MemAvailable / links",
                    mib((availableBefore - availableAfter) / LINKS)));
            long perLinkPss = 0;
            for (Map.Entry<String, Long> entry : pss.entrySet()) {
                if (entry.getValue() / LINKS >= 16 * 1024) { // groups of at least 16 KiB per link
                    rows.add(row("  PSS per link: " + entry.getKey(), mib(entry.getValue() / LINKS)));
                    perLinkPss += entry.getValue() / LINKS;
                }
            }
            rows.add(row("  PSS per link, those processes together", mib(perLinkPss)));
            double threadsPerLink = 0;
            for (Map.Entry<String, Long> entry : threads.entrySet()) {
                if (entry.getValue() * 2 >= LINKS) { // at least one thread for every other link
                    rows.add(row("  processes and threads per link: " + entry.getKey(),
                            String.format("%.1f", entry.getValue() / (double) LINKS)));
                    threadsPerLink += entry.getValue() / (double) LINKS;
                }
            }
            rows.add(row("  processes and threads per link, together", String.format("%.1f", threadsPerLink)));
            int pidMax = Integer.parseInt(readProc("sys/kernel/pid_max"));
            int threadsMax = Integer.parseInt(readProc("sys/kernel/threads-max"));
            int hostThreads = Integer.parseInt(readProc("loadavg").split("\\s+")[3].split("/")[1]);
            int others = hostThreads - (int) Math.round(threadsPerLink * LINKS);
            rows.add(row("kernel.pid_max / kernel.threads-max on this host", pidMax + " / " + threadsMax));
            for (int bound : new int[] {32768, 4194304}) {
                int kernelBound = Math.min(bound, threadsMax);
                rows.add(row("links this host runs before the kernel refuses new threads, kernel.pid_max " + bound
                        + " (other threads now: " + others + ")",
                        String.valueOf((int) ((kernelBound - others) / threadsPerLink))));
            }

            if (Files.exists(ENGINE_PID_FILE)) {
                rows.addAll(bootStorm(gateway));
            }
            else {
                rows.add(row("boot storm", "not measured: the engine was not started by scripts/docker-engine.sh"));
            }
        }
        String table = "| what | measured |\n| --- | --- |\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        Files.writeString(RESULTS, "# Link capacity\n\nWritten by `LinkCapacityBenchmark` on " + Instant.now()
                + " (" + Runtime.getRuntime().availableProcessors() + " CPUs, " + mib(memTotal()) + " memory), with "
                + LINKS + " links; see [README.md](README.md).\n\n" + table);
    }

    /**
     * Power cut and boot: every link container starts at once when the engine comes back. (The test NGINX has no
     * restart policy; the engine's live restore keeps it running, and it is not what this measures.)
     */
    private List<String> bootStorm(GatewayFixture gateway) throws Exception {
        List<Long> pids = new ArrayList<>();
        for (Container container : gateway.docker.listContainersCmd().withLabelFilter(
                Map.of("io.selfhosted-gateway.gateway", gateway.gatewayId())).exec()) {
            pids.add(gateway.docker.inspectContainerCmd(container.getId()).exec().getState().getPidLong());
        }
        gateway.stopControlPlane();
        engine("stop");
        for (long pid : pids) {
            // A power cut ends the container and its containerd shim alike.
            ProcessHandle.of(pid).ifPresent(process -> {
                Optional<ProcessHandle> shim = process.parent();
                process.destroyForcibly();
                shim.ifPresent(ProcessHandle::destroyForcibly);
            });
        }
        Thread.sleep(2000);
        Instant boot = Instant.now();
        engine("start");
        Duration engineUp = Duration.between(boot, Instant.now());
        Readiness ready;
        do {
            Thread.sleep(1000);
            ready = readiness(gateway, boot);
        } while (!ready.notReady().isEmpty() && Duration.between(boot, Instant.now()).compareTo(ENGINE_ALONE) < 0);
        Duration engineReady = Duration.between(boot, Instant.now());
        TestApi api = gateway.startInJvm("--gateway.reconcile.interval=60s", "--gateway.health.interval=1h",
                "--logging.level.org.selfhostedgateway=WARN");
        gateway.awaitConverged(api, Duration.ofMinutes(30));
        Duration converged = Duration.between(boot, Instant.now());
        Readiness after = readiness(gateway, boot);
        assertThat(after.notReady()).as("link containers without WireGuard up after the boot").isEmpty();
        return List.of(
                row("boot storm: engine answering after its start", seconds(engineUp)),
                row("boot storm: links whose container the engine started again by itself, WireGuard up",
                        (LINKS - ready.notReady().size()) + " of " + LINKS + " after " + seconds(engineReady)),
                row("boot storm: links that failed to start at least once (a start-up deadline, a crash)",
                        String.valueOf(after.failedStarts())),
                row("boot storm: control plane started, every link ACTIVE with WireGuard up, map equal to the "
                        + "database (the reconciler replaces what the engine did not start)", seconds(converged)));
    }

    private record Readiness(List<String> notReady, int failedStarts) {
    }

    /** Every link container running and logging "ready" (since {@code since}, when given). */
    private static Readiness readiness(GatewayFixture gateway, Instant since) throws InterruptedException {
        List<String> notReady = new ArrayList<>();
        int failedStarts = 0;
        for (Container container : gateway.linkContainers().values()) {
            InspectContainerResponse inspected = gateway.docker.inspectContainerCmd(container.getId()).exec();
            String log = logOf(gateway, container.getId(), since);
            if (log.contains("gateway-link: error:")) {
                failedStarts++;
            }
            if (!Boolean.TRUE.equals(inspected.getState().getRunning()) || !log.contains("gateway-link: ready:")) {
                notReady.add(container.getNames()[0]);
            }
        }
        return new Readiness(notReady, failedStarts);
    }

    private static String logOf(GatewayFixture gateway, String containerId, Instant since)
            throws InterruptedException {
        StringBuilder out = new StringBuilder();
        var logs = gateway.docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true);
        if (since != null) {
            logs.withSince((int) since.getEpochSecond());
        }
        logs.exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        }).awaitCompletion(10, TimeUnit.SECONDS);
        synchronized (out) {
            return out.toString();
        }
    }

    /**
     * Per command name, summed over every host process: {@code smaps_rollup} gives its proportional set size in bytes,
     * {@code task} its number of threads.
     */
    private static Map<String, Long> byCommand(String what) throws IOException {
        Map<String, Long> sums = new TreeMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String command = read(process.resolve("comm")).trim();
                    if (what.equals("task")) {
                        try (Stream<Path> tasks = Files.list(process.resolve("task"))) {
                            sums.merge(command, tasks.count(), Long::sum);
                        }
                        continue;
                    }
                    for (String line : read(process.resolve("smaps_rollup")).split("\n")) {
                        if (line.startsWith("Pss:")) {
                            sums.merge(command, Long.parseLong(line.trim().split("\\s+")[1]) * 1024, Long::sum);
                        }
                    }
                }
                catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile, or is a kernel thread
                }
            }
        }
        return sums;
    }

    private static void engine(String action) throws Exception {
        Process process = new ProcessBuilder("bash", ENGINE_SCRIPT.toString(), action).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("docker-engine.sh %s: %s", action, output).isZero();
    }

    private static long memAvailable() throws IOException {
        return meminfo("MemAvailable:");
    }

    private static long memTotal() throws IOException {
        return meminfo("MemTotal:");
    }

    private static long meminfo(String field) throws IOException {
        for (String line : read(Path.of("/proc/meminfo")).split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.trim().split("\\s+")[1]) * 1024;
            }
        }
        throw new IllegalStateException(field + " not in /proc/meminfo");
    }

    private static String readProc(String relative) throws IOException {
        return read(Path.of("/proc").resolve(relative)).trim();
    }

    /** As a stream: a sized read of a proc file gets one byte on some kernels. */
    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String row(String what, String value) {
        return "| " + what + " | " + value + " |";
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
    }
}
