package org.selfhostedgateway.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test (CI runs only *Tests): what raw ports cost on the gateway host and how fast they carry TCP. Counts the
 * host's processes that exist for one link's gateway side (PSS from /proc/<pid>/smaps_rollup, summed by command)
 * without raw ports, then with one TCP port, then with a 100-port UDP range too; then times one download through a
 * raw TCP port and one over HTTPS through the same link, in the same run. Writes benchmarks/ports/RESULTS.md.
 * Run: {@code ./mvnw -o test -Dtest=RawPortsBenchmark -Dsurefire.failIfNoSpecifiedTests=false} after
 * {@code scripts/prepare-docker.sh}; see benchmarks/ports/README.md.
 */
class RawPortsBenchmark {

    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final int MIB = 1024 * 1024;
    private static final int DOWNLOAD_MIB = Integer.getInteger("bench.ports.mib", 200);
    private static final int TCP_PORT = 48300;
    private static final int UDP_FIRST = 48200;

    @Test
    void memoryOfRawPortsAndThroughputBesideHttps() throws Exception {
        List<String> report = new ArrayList<>();
        try (DataPlaneFixture gateway = new DataPlaneFixture()) {
            TestApi api = gateway.startControlPlane();
            GenericContainer<?> app = gateway.startEchoApp("bench", "bench page");
            // A large file for HTTPS, and a raw TCP service that sends the same number of bytes to whoever connects.
            app.execInContainer("sh", "-c", "head -c " + DOWNLOAD_MIB + "M /dev/zero > /www/big");
            app.execInContainer("sh", "-c", "setsid socat TCP4-LISTEN:7001,fork,reuseaddr SYSTEM:'head -c "
                    + DOWNLOAD_MIB + "M /dev/zero' >/dev/null 2>&1 </dev/null &");
            String fqdn = "bench.example.test";
            Reply created = api.createLink(fqdn, "bench:8000");
            String id = created.json().get("id").asString();
            gateway.waitForState(id, "ACTIVE", CONVERGE);
            GenericContainer<?> client = gateway.startClientLink(created.json().get("compose").asString());
            gateway.waitForPage(fqdn, "bench page", CONVERGE);

            Map<String, Long[]> none = linkProcesses(gateway, id);
            JsonNode onePort = setPorts(gateway, api, id, "{\"protocol\": \"tcp\", \"publicPort\": " + TCP_PORT
                    + ", \"target\": \"bench:7001\"}");
            Map<String, Long[]> one = linkProcesses(gateway, id);
            JsonNode withRange = setPorts(gateway, api, id, "{\"protocol\": \"tcp\", \"publicPort\": " + TCP_PORT
                    + ", \"target\": \"bench:7001\"}, {\"protocol\": \"udp\", \"publicPort\": " + UDP_FIRST
                    + ", \"publicPortEnd\": " + (UDP_FIRST + 99) + ", \"target\": \"bench:9100\"}");
            Map<String, Long[]> hundred = linkProcesses(gateway, id);

            report.add("# Raw ports: host memory and TCP throughput");
            report.add("");
            report.add("Run " + Instant.now() + " by `RawPortsBenchmark` (see [README.md](README.md)); Docker "
                    + dockerInfo() + ". Sizes are PSS, read from /proc for every process of the host that exists for "
                    + "the link's gateway side (in its container's cgroup, its containerd shim, Docker's userland "
                    + "proxies to its address), summed by command; in brackets how many processes.");
            report.add("");
            report.add("## Host memory");
            report.add("");
            report.add("| command | no raw port | one tcp port | + 100-port udp range | one port adds "
                    + "| the range adds |");
            report.add("| --- | ---: | ---: | ---: | ---: | ---: |");
            TreeSet<String> commands = new TreeSet<>(none.keySet());
            commands.addAll(one.keySet());
            commands.addAll(hundred.keySet());
            long[] totals = new long[3];
            for (String command : commands) {
                long[] pss = {pss(none, command), pss(one, command), pss(hundred, command)};
                long[] count = {count(none, command), count(one, command), count(hundred, command)};
                for (int i = 0; i < 3; i++) {
                    totals[i] += pss[i];
                }
                report.add("| " + command + " | " + mib(pss[0], count[0]) + " | " + mib(pss[1], count[1]) + " | "
                        + mib(pss[2], count[2]) + " | " + delta(pss[1] - pss[0]) + " | " + delta(pss[2] - pss[1])
                        + " |");
            }
            report.add("| **the link's gateway side** | " + mib(totals[0], -1) + " | " + mib(totals[1], -1) + " | "
                    + mib(totals[2], -1) + " | **" + delta(totals[1] - totals[0]) + "** | **"
                    + delta(totals[2] - totals[1]) + "** |");

            // Throughput: the home side takes the new snippet (it needs the raw port's target), as a user would.
            client.stop();
            client = gateway.startClientLink(withRange.get("compose").asString());
            gateway.waitForPage(fqdn, "bench page", CONVERGE);
            // The same link, the same bytes, one after the other.
            long https = timeHttps(gateway, fqdn);
            long rawLoopback = timeRawTcp("127.0.0.1", TCP_PORT);
            long rawHost = timeRawTcp(gateway.hostAddress(), TCP_PORT);
            report.add("");
            report.add("## TCP throughput through one link (" + DOWNLOAD_MIB + " MiB each, one after the other)");
            report.add("");
            report.add("| path | MB/s |");
            report.add("| --- | ---: |");
            report.add("| HTTPS: NGINX (container address) -> gateway-link -> tunnel -> Caddy -> app | "
                    + rate(https) + " |");
            report.add("| raw tcp port via loopback (Docker's userland proxy) -> gateway-link -> tunnel -> app | "
                    + rate(rawLoopback) + " |");
            report.add("| raw tcp port via the host's address (Docker's NAT, as without userland proxy) -> "
                    + "gateway-link -> tunnel -> app | " + rate(rawHost) + " |");

            // Health keeps counting the link's bytes, raw ports included: they cross the same tunnel.
            long counted = waitForTxBytes(gateway, api, id, 2L * DOWNLOAD_MIB * MIB);
            report.add("");
            report.add("The link's `health.rxBytes` after the runs: " + counted / MIB + " MiB (the gateway receives "
                    + "the downloads from home through the tunnel; counters restart with the container, which the "
                    + "port changes above recreated).");
            assertThat(onePort.get("ports")).hasSize(1);
            client.stop();
        }
        Path results = Path.of("benchmarks/ports/RESULTS.md");
        Files.createDirectories(results.getParent());
        Files.writeString(results, String.join("\n", report) + "\n");
        System.out.println(String.join("\n", report));
    }

    private static JsonNode setPorts(DataPlaneFixture gateway, TestApi api, String id, String entries)
            throws InterruptedException {
        Reply reply = api.put("/links/" + id + "/ports", "{\"ports\": [" + entries + "]}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        int bindings = 1; // the WireGuard port
        for (JsonNode port : reply.json().get("ports")) {
            bindings += port.has("publicPortEnd") ? port.get("publicPortEnd").asInt() - port.get("publicPort").asInt()
                    + 1 : 1;
        }
        int expected = bindings;
        DataPlaneFixture.waitFor(CONVERGE, "the link's container with its new ports",
                () -> gateway.linkContainer(id) != null
                        && Boolean.TRUE.equals(gateway.linkContainer(id).getState().getRunning())
                        && gateway.linkContainer(id).getHostConfig().getPortBindings().getBindings().size()
                        == expected);
        Thread.sleep(10_000); // let the new processes settle before counting
        return reply.json();
    }

    private static long timeHttps(DataPlaneFixture gateway, String fqdn) {
        long start = System.nanoTime();
        DataPlaneFixture.CommandOutput out = DataPlaneFixture.run(Duration.ofMinutes(5), List.of("curl", "-sS",
                "-f", "-o", "/dev/null", "-w", "%{size_download}", "--resolve", fqdn + ":443:" + gateway.nginxIp(),
                "-k", "https://" + fqdn + "/big"));
        long elapsed = System.nanoTime() - start;
        assertThat(out.output().trim()).as(out.output()).isEqualTo(String.valueOf((long) DOWNLOAD_MIB * MIB));
        return elapsed;
    }

    private static long timeRawTcp(String host, int port) throws IOException {
        long start = System.nanoTime();
        long received = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                received += n;
            }
        }
        long elapsed = System.nanoTime() - start;
        assertThat(received).isEqualTo((long) DOWNLOAD_MIB * MIB);
        return elapsed;
    }

    private static long waitForTxBytes(DataPlaneFixture gateway, TestApi api, String id, long atLeast) {
        long[] seen = {0};
        DataPlaneFixture.waitFor(Duration.ofSeconds(60), "the health sweep to count the downloads", () -> {
            JsonNode health = api.get("/links/" + id).json().get("health");
            seen[0] = health == null ? 0 : health.get("rxBytes").asLong();
            return seen[0] >= atLeast;
        });
        return seen[0];
    }

    private String rate(long nanos) {
        return String.format("%.1f", DOWNLOAD_MIB * (double) MIB / 1e6 / (nanos / 1e9));
    }

    /**
     * PSS and process count by command of the processes that exist for the link's gateway side: those in its
     * container's cgroup, its containerd shim, and Docker's userland proxies that forward to its address. The host
     * is shared with other work, so a total over all processes would mostly measure that.
     */
    private static Map<String, Long[]> linkProcesses(DataPlaneFixture gateway, String linkId) throws IOException {
        var container = gateway.linkContainer(linkId);
        String containerId = container.getId();
        String address = container.getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
        Map<String, Long[]> sums = new TreeMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String command = Files.readString(process.resolve("comm")).trim();
                    String commandLine = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
                    boolean ofTheLink = Files.readString(process.resolve("cgroup")).contains(containerId)
                            || (command.startsWith("containerd-shim") && commandLine.contains(containerId))
                            || (command.equals("docker-proxy")
                                    && commandLine.contains("-container-ip " + address + " "));
                    if (!ofTheLink) {
                        continue;
                    }
                    for (String line : Files.readString(process.resolve("smaps_rollup")).split("\n")) {
                        if (line.startsWith("Pss:")) {
                            long bytes = Long.parseLong(line.trim().split("\\s+")[1]) * 1024;
                            sums.merge(command, new Long[] {bytes, 1L},
                                    (a, b) -> new Long[] {a[0] + b[0], a[1] + b[1]});
                        }
                    }
                }
                catch (IOException | RuntimeException gone) {
                    // ended meanwhile, or a kernel thread
                }
            }
        }
        return sums;
    }

    private static long pss(Map<String, Long[]> sums, String command) {
        return sums.getOrDefault(command, new Long[] {0L, 0L})[0];
    }

    private static long count(Map<String, Long[]> sums, String command) {
        return sums.getOrDefault(command, new Long[] {0L, 0L})[1];
    }

    private static String mib(long bytes, long processes) {
        return String.format("%.1f MiB", bytes / (double) MIB) + (processes < 0 ? "" : " (" + processes + ")");
    }

    private static String delta(long bytes) {
        return String.format("%+.1f MiB", bytes / (double) MIB);
    }

    private static String dockerInfo() {
        DataPlaneFixture.CommandOutput info = DataPlaneFixture.run(Duration.ofSeconds(30), List.of("sh", "-c",
                "docker version -f '{{.Server.Version}}'; pgrep -c docker-proxy >/dev/null && echo "
                        + "'userland proxy on' || echo 'userland proxy off or unused'"));
        return info.output().trim().replace('\n', ',').replace(",", ", ").trim();
    }
}
