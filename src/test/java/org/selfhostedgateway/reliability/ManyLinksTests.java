package org.selfhostedgateway.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.TopContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.provisioning.Reconciler;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More links than the host's default inotify limit (fs.inotify.max_user_instances, 128: each wireguard-go holds one
 * instance) all run at once with WireGuard up, and none crash-loops. Before each link's wireguard-go ran as a user of
 * its own, link 129 on such a host crash-looped with "Failed to listen on uapi socket: too many open files".
 */
class ManyLinksTests {

    /** Above 128, the limit on a fresh host, with room for whatever else of root's holds an instance. */
    private static final int LINKS = 140;
    private static final int FIRST_PORT = 46000;

    /** Made by the test, removed with everything it started after it. */
    @AutoClose
    private GatewayFixture gateway;

    @Test
    void moreLinksThanTheDefaultInotifyLimitAllRunWithWireGuardUp() throws Exception {
        gateway = new GatewayFixture(FIRST_PORT, FIRST_PORT + LINKS + 9);
        TestApi api = gateway.startInJvm("--gateway.reconcile.interval=30s");
        long start = System.nanoTime();
        for (int i = 0; i < LINKS; i++) {
            TestApi.Reply created = api.createLink("m" + i + ".many.example.test", "m" + i + ":80");
            assertThat(created.status()).as("create %d: %s", i, created).isEqualTo(201);
        }
        gateway.bean(Reconciler.class).reconcileNow();
        Duration converged = gateway.awaitConverged(api, Duration.ofSeconds(180));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        Map<String, Container> containers = gateway.linkContainers();
        assertThat(containers).hasSize(LINKS);
        List<String> notReady = new ArrayList<>();
        for (Container container : containers.values()) {
            InspectContainerResponse inspected = gateway.docker.inspectContainerCmd(container.getId()).exec();
            String log = logOf(container.getId());
            if (inspected.getRestartCount() != 0 || !log.contains("gateway-link: ready: udp/")) {
                notReady.add(container.getNames()[0] + " restarts " + inspected.getRestartCount() + ": " + log);
            }
        }
        assertThat(notReady).as("link containers without WireGuard up, or restarted").isEmpty();

        // Each link's wireguard-go is a user of its own, numbered by its UDP port (images/lib/link-common.sh).
        for (JsonNode link : List.of(api.get("/links").json().get(0), api.get("/links").json().get(LINKS - 1))) {
            TopContainerResponse top = gateway.docker.topContainerCmd("sg-link-" + link.get("id").asString())
                    .withPsArgs("-o pid,uid,comm").exec();
            List<List<String>> processes = java.util.Arrays.stream(top.getProcesses())
                    .map(row -> List.of(row[1], row[2])).toList();
            assertThat(processes).as("processes (uid, command) of %s", link.get("fqdn"))
                    .contains(List.of(String.valueOf(1_000_000_000L + link.get("udpPort").asInt()), "wireguard-go"));
        }
        System.out.printf("ManyLinksTests: %d links (fs.inotify.max_user_instances %s) running in %d s, "
                + "converged %d ms after the last create%n", LINKS, inotifyLimit(), took.toSeconds(),
                converged.toMillis());
    }

    private String logOf(String containerId) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        gateway.docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(20)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(10, TimeUnit.SECONDS);
        return out.toString().trim();
    }

    private static String inotifyLimit() {
        try (var in = Files.newInputStream(Path.of("/proc/sys/fs/inotify/max_user_instances"))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim(); // a sized read gets 1 byte
        }
        catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
