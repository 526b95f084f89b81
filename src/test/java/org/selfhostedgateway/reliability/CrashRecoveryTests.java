package org.selfhostedgateway.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control plane as a separate process, killed with SIGKILL at random moments while links are being created,
 * provisioned and deleted. After each restart the data plane converges on its own, every link whose create was
 * answered is there with the same id, port and keys, every answered delete stays deleted, nothing is duplicated.
 */
class CrashRecoveryTests {

    private static final int MAX_CRASHES = 20;
    /**
     * A safety net for a slow runner: a round (restart 9-13 s, converge, churn) takes about 22 s, 20 rounds about
     * 7.5 min.
     */
    private static final Duration CRASH_BUDGET = Duration.ofSeconds(600);
    private static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(2);
    /** The start pass runs as soon as the API is up; allow for 80 containers on a slow, busy two-core runner. */
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /** Links answered and not deleted, at most: a fast runner deletes instead of piling up more. */
    private static final int MAX_LIVE_LINKS = 40;

    /** Made by the test, removed with everything it started after it. */
    @AutoClose
    private GatewayFixture gateway;

    @Test
    void killedAtRandomMomentsDuringProvisioningItConvergesAfterEachRestartAndLosesNothing() throws Exception {
        gateway = new GatewayFixture(47500, 47699);
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        Map<String, JsonNode> acknowledged = new ConcurrentHashMap<>();
        List<String> deleted = Collections.synchronizedList(new ArrayList<>());
        List<Long> convergeMillis = new ArrayList<>();
        List<Long> startMillis = new ArrayList<>();
        long budgetEnd = System.nanoTime() + CRASH_BUDGET.toNanos();
        int crashes = 0;
        while (crashes < MAX_CRASHES && System.nanoTime() < budgetEnd) {
            long startAt = System.nanoTime();
            TestApi api = gateway.startProcess("--gateway.reconcile.interval=" + RECONCILE_INTERVAL.toMillis() + "ms");
            startMillis.add((System.nanoTime() - startAt) / 1_000_000);
            convergeMillis.add(gateway.awaitConverged(api, CONVERGE).toMillis());
            assertNothingLost(api, acknowledged, deleted);

            int round = crashes;
            AtomicBoolean alive = new AtomicBoolean(true);
            Thread writer = new Thread(() -> churn(api, round, alive, acknowledged, deleted));
            writer.start();
            // Kill while creates are answered and their containers and map are being made.
            ControlPlaneProcess.sleep(200 + random.nextInt(1500));
            gateway.process().kill9();
            alive.set(false);
            writer.join(30_000);
            crashes++;
        }

        TestApi api = gateway.startProcess();
        convergeMillis.add(gateway.awaitConverged(api, CONVERGE).toMillis());
        assertNothingLost(api, acknowledged, deleted);
        assertContainersHoldTheLinksKeys(api);
        System.out.printf("CrashRecoveryTests: %d kill -9 (seed %d), %d links acknowledged, %d deleted; start ms %s; "
                + "converged after start ms %s%n", crashes, seed, acknowledged.size(), deleted.size(), startMillis,
                convergeMillis);
        assertThat(crashes).as("kill -9 rounds within the budget").isEqualTo(MAX_CRASHES);
    }

    /**
     * Creates two links, deletes the oldest answered one, and so on, until the control plane dies. At
     * {@link #MAX_LIVE_LINKS} it only deletes: how many links the test holds must not depend on the runner's speed.
     */
    private static void churn(TestApi api, int round, AtomicBoolean alive, Map<String, JsonNode> acknowledged,
            List<String> deleted) {
        for (int n = 0; alive.get(); n++) {
            try {
                if (n % 3 == 2 || acknowledged.size() >= MAX_LIVE_LINKS) {
                    String oldest = acknowledged.keySet().stream().filter(id -> !deleted.contains(id)).sorted()
                            .findFirst().orElse(null);
                    if (oldest != null) {
                        // Until the 204 arrives the delete may or may not happen: the link is no longer promised.
                        JsonNode link = acknowledged.remove(oldest);
                        if (api.delete("/links/" + oldest).status() == 204) {
                            deleted.add(oldest);
                        }
                        else {
                            acknowledged.put(oldest, link);
                        }
                    }
                }
                else {
                    String name = "k" + round + "-" + n;
                    TestApi.Reply reply = api.createLink(name + ".crash.example.test", name + ":80");
                    if (reply.status() == 201) {
                        JsonNode link = reply.json();
                        acknowledged.put(link.get("id").asString(), link);
                    }
                }
            }
            catch (RuntimeException killedMidCall) {
                return; // an unanswered call may or may not have happened; both are checked
            }
        }
    }

    private static void assertNothingLost(TestApi api, Map<String, JsonNode> acknowledged, List<String> deleted) {
        for (JsonNode before : acknowledged.values()) {
            String id = before.get("id").asString();
            TestApi.Reply reply = api.get("/links/" + id);
            assertThat(reply.status()).as("link %s (%s), answered 201 before a crash", id, before.get("fqdn"))
                    .isEqualTo(200);
            JsonNode after = reply.json();
            for (String field : List.of("fqdn", "expose", "udpPort", "gatewayPublicKey", "clientPublicKey",
                    "compose")) {
                assertThat(after.get(field)).as("%s of %s", field, id).isEqualTo(before.get(field));
            }
        }
        for (String id : List.copyOf(deleted)) {
            assertThat(api.get("/links/" + id).status()).as("link %s, answered 204 before a crash", id)
                    .isEqualTo(404);
        }
    }

    /** The running WireGuard in each link container has the key pair whose public half the API shows. */
    private void assertContainersHoldTheLinksKeys(TestApi api) throws Exception {
        for (JsonNode link : api.get("/links").json()) {
            String id = link.get("id").asString();
            var exec = gateway.docker.execCreateCmd("sg-link-" + id).withCmd("wg", "show", "wg0", "public-key")
                    .withAttachStdout(true).exec();
            StringBuilder out = new StringBuilder();
            gateway.docker.execStartCmd(exec.getId()).exec(
                    new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame frame) {
                            out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(out.toString().trim()).as("WireGuard key in the container of %s", id)
                    .isEqualTo(link.get("gatewayPublicKey").asString());
        }
    }
}
