package org.selfhostedgateway.capacity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.selfhostedgateway.ports.PortsProperties;

import org.springframework.stereotype.Component;

/**
 * How many links this host can run, from what the kernel says now: the UDP port range, the gateway network, the
 * memory available, and the processes and threads the kernel allows (kernel.pid_max: 32,768 where no init system
 * raised it, and one link takes about 40, so that bound comes first on such a host). Reads two small files of {@code /proc}, never the Docker engine, so it may run inside the create
 * transaction.
 *
 * <p>The inotify limit ({@code fs.inotify.max_user_instances}, 128 by default) is counted per user, and every
 * link's wireguard-go holds one instance. It runs as a user of its own (images/lib/link-common.sh), so it needs
 * one of its own user's instances, never one of a count shared across links: the limit is shown, not a bound.
 */
@Component
public class HostCapacity {

    /**
     * A Linux bridge takes at most 1,023 ports (BR_MAX_PORTS is 1,024 and port 0 is never used); the gateway network
     * is one bridge and also holds the gateway NGINX and the control plane.
     */
    static final int LINKS_PER_GATEWAY_NETWORK = 1023 - 2;

    /** What bounds the number of links. */
    public enum Limit {
        UDP_PORT_RANGE("udpPortRange"), GATEWAY_NETWORK("gatewayNetwork"), MEMORY("memory"),
        PROCESSES("processes");

        private final String key;

        Limit(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private final PortsProperties ports;
    private final CapacityProperties properties;

    HostCapacity(PortsProperties ports, CapacityProperties properties) {
        this.ports = ports;
        this.properties = properties;
    }

    /** The host's capacity with {@code links} links running. */
    public Snapshot measure(int links) {
        Map<Limit, Integer> limits = new EnumMap<>(Limit.class);
        limits.put(Limit.UDP_PORT_RANGE, ports.size());
        limits.put(Limit.GATEWAY_NETWORK, LINKS_PER_GATEWAY_NETWORK);
        OptionalLong available = memoryAvailable();
        available.ifPresent(bytes -> limits.put(Limit.MEMORY, links + (int) Math.max(0, Math.min(Integer.MAX_VALUE,
                (bytes - properties.memoryReserve().toBytes()) / properties.memoryPerLink().toBytes()))));
        OptionalInt maxThreads = maxThreads();
        OptionalInt threads = threadsNow();
        if (maxThreads.isPresent() && threads.isPresent()) {
            int free = maxThreads.getAsInt() - threadReserve(maxThreads.getAsInt()) - threads.getAsInt();
            limits.put(Limit.PROCESSES, links + Math.max(0, free / properties.threadsPerLink()));
        }
        Limit limitedBy = limits.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new Snapshot(links, limits.get(limitedBy), limitedBy, Map.copyOf(limits), available,
                properties.memoryPerLink().toBytes(), properties.memoryReserve().toBytes(), threads, maxThreads,
                properties.threadsPerLink(), readInt("sys/fs/inotify/max_user_instances"));
    }

    /**
     * Throws {@link CapacityExceededException} when the host cannot run one more link beside {@code links}. A full
     * UDP range is left to the port allocator, which names the range.
     */
    public void requireRoomForAnotherLink(int links) {
        Snapshot now = measure(links);
        if (links < now.limits().get(Limit.GATEWAY_NETWORK)
                && links < now.limits().getOrDefault(Limit.MEMORY, Integer.MAX_VALUE)
                && links < now.limits().getOrDefault(Limit.PROCESSES, Integer.MAX_VALUE)) {
            return;
        }
        if (links >= now.limits().getOrDefault(Limit.PROCESSES, Integer.MAX_VALUE)) {
            throw new CapacityExceededException(Limit.PROCESSES, "The host runs " + now.threads().orElse(0)
                    + " processes and threads, and the kernel allows " + now.maxThreads().orElse(0)
                    + " (kernel.pid_max, kernel.threads-max); a link takes about " + now.threadsPerLink()
                    + " (its WireGuard, containerd's shim, Docker's proxy for its port). Raise the limit: "
                    + "sysctl -w kernel.pid_max=4194304 (scripts/start-gateway.sh does, and keeps it in "
                    + "/etc/sysctl.d).");
        }
        if (links >= now.limits().get(Limit.GATEWAY_NETWORK)) {
            throw new CapacityExceededException(Limit.GATEWAY_NETWORK, "This gateway runs " + links + " links, as "
                    + "many as its Docker network takes: a Linux bridge holds at most 1,023 containers, and the "
                    + "gateway's NGINX and control plane are two of them. No setting raises it; run a second "
                    + "gateway (docs/several-hosts.md).");
        }
        throw new CapacityExceededException(Limit.MEMORY, "The host has " + mebibytes(now.memoryAvailable()
                .orElse(0)) + " MiB of memory available; a link needs about " + mebibytes(now.memoryPerLink())
                + " MiB and " + mebibytes(now.memoryReserve()) + " MiB are kept for the rest of the host. Free memory "
                + "or move to a larger host; GATEWAY_CAPACITY_MEMORY_RESERVE and GATEWAY_CAPACITY_MEMORY_PER_LINK "
                + "set the two figures.");
    }

    private static long mebibytes(long bytes) {
        return bytes / (1024 * 1024);
    }

    /** MemAvailable: what the kernel can give without swapping, page cache included. */
    private OptionalLong memoryAvailable() {
        try {
            for (String line : read("meminfo").split("\n")) {
                if (line.startsWith("MemAvailable:")) {
                    String[] fields = line.trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(fields[1]) * 1024);
                }
            }
        }
        catch (IOException | RuntimeException unreadable) {
            // not Linux, or a proc without it: memory is then not a known bound
        }
        return OptionalLong.empty();
    }

    private OptionalInt readInt(String relative) {
        try {
            return OptionalInt.of(Integer.parseInt(read(relative).trim()));
        }
        catch (IOException | RuntimeException unreadable) {
            return OptionalInt.empty();
        }
    }

    /** The kernel's bound on processes and threads together: the smaller of kernel.pid_max and kernel.threads-max. */
    private OptionalInt maxThreads() {
        OptionalInt pidMax = readInt("sys/kernel/pid_max");
        OptionalInt threadsMax = readInt("sys/kernel/threads-max");
        if (pidMax.isEmpty() || threadsMax.isEmpty()) {
            return pidMax.isPresent() ? pidMax : threadsMax;
        }
        return OptionalInt.of(Math.min(pidMax.getAsInt(), threadsMax.getAsInt()));
    }

    /** Every thread of the host, from the fourth field of /proc/loadavg ("running/total"). */
    private OptionalInt threadsNow() {
        try {
            String[] fields = read("loadavg").trim().split("\\s+");
            return OptionalInt.of(Integer.parseInt(fields[3].substring(fields[3].indexOf('/') + 1)));
        }
        catch (IOException | RuntimeException unreadable) {
            return OptionalInt.empty();
        }
    }

    /** Threads kept free for the rest of the host: a twentieth of the bound, at least 1,024. */
    private static int threadReserve(int maxThreads) {
        return Math.max(1024, maxThreads / 20);
    }

    /**
     * A file of proc read as a stream: sized reads (Files.readString) get one byte of a sysctl file on some kernels,
     * which report its size as 0.
     */
    private String read(String relative) throws IOException {
        try (InputStream in = Files.newInputStream(properties.procDir().resolve(relative))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * The host's capacity at one moment.
     *
     * @param links links stored now
     * @param capacity the most links this host can run: the smallest of {@code limits}
     * @param limitedBy which limit that is
     * @param limits each known limit, as a number of links
     * @param memoryAvailable the kernel's MemAvailable, when it tells
     * @param threads the host's processes and threads now
     * @param maxThreads the kernel's bound on them (kernel.pid_max, kernel.threads-max)
     * @param threadsPerLink what one link adds to them
     * @param inotifyMaxUserInstances {@code fs.inotify.max_user_instances}: per user, and every link's wireguard-go
     * is a user of its own, so it does not bound the links
     */
    public record Snapshot(int links, int capacity, Limit limitedBy, Map<Limit, Integer> limits,
            OptionalLong memoryAvailable, long memoryPerLink, long memoryReserve, OptionalInt threads,
            OptionalInt maxThreads, int threadsPerLink, OptionalInt inotifyMaxUserInstances) {
    }
}
