package org.selfhostedgateway.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.ports.PortsProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A create the host cannot run is refused with a 503 that names the limit and the setting, and nothing is stored; the
 * capacity shows in the health details and the metrics. The kernel's figures come from a proc directory the test
 * writes, so the host's own memory does not matter.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CapacityTests {

    private static final long MIB = 1024 * 1024;
    private static Path proc;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void fakeProc(DynamicPropertyRegistry registry) throws IOException {
        proc = Files.createTempDirectory("sg-proc");
        Files.createDirectories(proc.resolve("sys/fs/inotify"));
        Files.writeString(proc.resolve("sys/fs/inotify/max_user_instances"), "128\n");
        // Room for two links: 128 MiB kept for the host plus 2.5 links of 12 MiB.
        writeMemAvailable(proc, 128 * MIB + 30 * MIB);
        registry.add("gateway.capacity.proc-dir", proc::toString);
        registry.add("gateway.capacity.memory-per-link", () -> "12MB");
        registry.add("gateway.capacity.memory-reserve", () -> "128MB");
    }

    @Test
    void aCreateBeyondTheHostsMemoryIsRefusedNamingTheLimitAndStoresNothingUntilMemoryIsFree() throws IOException {
        TestApi api = new TestApi(port);
        assertThat(api.createLink("one.capacity.example.com", "app:80").status()).isEqualTo(201);
        // What the running links use is no longer available: room for less than one more.
        writeMemAvailable(proc, 128 * MIB + 6 * MIB);

        Reply full = api.createLink("two.capacity.example.com", "app:80");
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(full.json().get("limit").asString()).isEqualTo("memory");
        assertThat(full.json().get("detail").asString()).contains("134 MiB of memory available", "about 12 MiB",
                "GATEWAY_CAPACITY_MEMORY_RESERVE");
        assertThat(api.get("/links?fqdn=two.capacity.example.com").json()).isEmpty();

        var capacity = api.get("/actuator/health").json().get("components").get("capacity");
        assertThat(capacity.get("status").asString()).isEqualTo("UP");
        assertThat(capacity.get("details").get("links").asInt()).isEqualTo(1);
        assertThat(capacity.get("details").get("capacity").asInt()).isEqualTo(1);
        assertThat(capacity.get("details").get("limitedBy").asString()).isEqualTo("memory");
        assertThat(capacity.get("details").get("full").asBoolean()).isTrue();
        assertThat(capacity.get("details").get("limits").get("udpPortRange").asInt()).isEqualTo(1000);
        assertThat(capacity.get("details").get("inotifyMaxUserInstances").asInt()).isEqualTo(128);
        assertThat(api.get("/actuator/prometheus").body()).contains("gateway_capacity_links 1.0",
                "gateway_capacity_limit_links{limit=\"memory\"} 1.0",
                "gateway_host_inotify_max_user_instances 128.0");

        // Read when asked, not cached: once memory is free the same create goes through.
        writeMemAvailable(proc, 1024 * MIB);
        assertThat(api.createLink("two.capacity.example.com", "app:80").status()).isEqualTo(201);
        api.get("/links").json().forEach(link -> api.delete("/links/" + link.get("id").asString()));
        writeMemAvailable(proc, 128 * MIB + 30 * MIB);
    }

    @Test
    void theGatewayNetworkTakesAtMost1021LinksWhateverTheRange(@TempDir Path otherProc) throws IOException {
        writeMemAvailable(otherProc, 64 * 1024 * MIB);
        HostCapacity host = new HostCapacity(new PortsProperties(40000, 45000),
                new CapacityProperties(DataSize.ofMegabytes(12), DataSize.ofMegabytes(128), 40, otherProc));

        host.requireRoomForAnotherLink(1020);
        assertThat(host.measure(1020).limitedBy()).isEqualTo(HostCapacity.Limit.GATEWAY_NETWORK);
        assertThatThrownBy(() -> host.requireRoomForAnotherLink(1021))
                .isInstanceOf(CapacityExceededException.class)
                .satisfies(e -> assertThat(((CapacityExceededException) e).getBody().getDetail())
                        .contains("at most 1,023 containers", "second gateway"));
    }

    @Test
    void aHostAtItsProcessLimitRefusesTheNextLinkNamingKernelPidMax(@TempDir Path otherProc) throws IOException {
        writeMemAvailable(otherProc, 64 * 1024 * MIB);
        Files.createDirectories(otherProc.resolve("sys/kernel"));
        Files.writeString(otherProc.resolve("sys/kernel/pid_max"), "32768\n");
        Files.writeString(otherProc.resolve("sys/kernel/threads-max"), "192730\n");
        // 32,768 less the 1,638 kept free: 31,130; with 31,000 in use there is room for 130 / 40 = 3 more links.
        Files.writeString(otherProc.resolve("loadavg"), "0.50 0.40 0.30 2/31000 12345\n");
        HostCapacity host = new HostCapacity(new PortsProperties(40000, 41000),
                new CapacityProperties(DataSize.ofMegabytes(12), DataSize.ofMegabytes(128), 40, otherProc));

        assertThat(host.measure(800).limits().get(HostCapacity.Limit.PROCESSES)).isEqualTo(803);
        host.requireRoomForAnotherLink(802);
        Files.writeString(otherProc.resolve("loadavg"), "0.50 0.40 0.30 2/31100 12345\n");
        assertThat(host.measure(800).limitedBy()).isEqualTo(HostCapacity.Limit.PROCESSES);
        assertThatThrownBy(() -> host.requireRoomForAnotherLink(800))
                .isInstanceOf(CapacityExceededException.class)
                .satisfies(e -> assertThat(((CapacityExceededException) e).getBody().getDetail())
                        .contains("31100 processes and threads", "allows 32768", "about 40",
                                "sysctl -w kernel.pid_max=4194304"))
                .satisfies(e -> assertThat(((CapacityExceededException) e).getBody().getProperties())
                        .containsEntry("limit", "processes"));
    }

    private static void writeMemAvailable(Path procDir, long bytes) throws IOException {
        Files.writeString(procDir.resolve("meminfo"), "MemTotal:       24000000 kB\nMemFree:        100 kB\n"
                + "MemAvailable:   " + bytes / 1024 + " kB\n");
    }
}
