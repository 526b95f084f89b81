package org.selfhostedgateway.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.provisioning.Reconciler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 creates and deletes at once against a control plane with its real data plane (link containers, NGINX): every
 * call gets a proper answer, and afterwards containers and the NGINX map equal the database exactly.
 */
class ConcurrentChangesTests {

    private static final int CALLS = 200;
    private static final int EXISTING = 16;
    private static final int NEW_NAMES = 24;

    /** Made by the test, removed with everything it started after it. */
    @AutoClose
    private GatewayFixture gateway;

    @Test
    void twoHundredCreatesAndDeletesAtOnceLeaveContainersAndTheMapEqualToTheDatabase() throws Exception {
        gateway = new GatewayFixture(47300, 47499);
        TestApi api = gateway.startInJvm();
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < EXISTING; i++) {
            existing.add(api.createLink("p" + i + ".rel.example.test", "p" + i + ":80").json().get("id").asString());
        }

        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(64);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            int n = i;
            calls.add(callers.submit(() -> {
                go.await();
                String what;
                TestApi.Reply reply;
                switch (n % 4) {
                    case 0 -> { // delete an existing link; some are deleted twice at once
                        what = "DELETE";
                        reply = api.delete("/links/" + existing.get((n / 4) % EXISTING));
                        if (reply.status() != 204 && reply.status() != 404) {
                            unexpected.add(what + " -> " + reply);
                        }
                    }
                    case 1 -> { // create again the name that is being deleted: same link, or a new one after
                        int k = (n / 4) % EXISTING;
                        what = "POST existing";
                        reply = api.createLink("p" + k + ".rel.example.test", "p" + k + ":80");
                        if (reply.status() != 200 && reply.status() != 201) {
                            unexpected.add(what + " -> " + reply);
                        }
                    }
                    default -> { // new names, each asked for about three times at once
                        int k = ((n / 4) * 2 + n % 4 - 2) % NEW_NAMES;
                        what = "POST new";
                        reply = api.createLink("n" + k + ".rel.example.test", "n" + k + ":80");
                        if (reply.status() != 200 && reply.status() != 201) {
                            unexpected.add(what + " -> " + reply);
                        }
                    }
                }
                outcomes.merge(what + " " + reply.status(), 1, Integer::sum);
                return null;
            }));
        }
        // Meanwhile, watch for any link shown FAILED: churn alone must never fail a link.
        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                api.get("/links").json().forEach(link -> {
                    if ("FAILED".equals(link.get("state").asString())) {
                        failed.add(link.get("fqdn").asString() + ": " + link.get("stateReason").asString());
                    }
                });
                ControlPlaneProcess.sleep(200);
            }
        });
        long start = System.nanoTime();
        watcher.start();
        go.countDown();
        for (Future<?> call : calls) {
            call.get(3, TimeUnit.MINUTES);
        }
        callers.shutdown();
        Duration answered = Duration.ofNanos(System.nanoTime() - start);

        assertThat(unexpected).as("answers other than 200/201/204/404").isEmpty();
        assertThat(outcomes.getOrDefault("POST new 201", 0)).as("one link per new name").isEqualTo(NEW_NAMES);

        gateway.bean(Reconciler.class).reconcileNow();
        Duration converged = gateway.awaitConverged(api, Duration.ofSeconds(90));
        assertThat(gateway.divergence(api)).isNull();
        watching.set(false);
        watcher.join();
        assertThat(failed).as("links shown FAILED during the churn").isEmpty();
        System.out.printf("ConcurrentChangesTests: %d calls answered in %d ms %s; converged %d ms later; %d links%n",
                CALLS, answered.toMillis(), new java.util.TreeMap<>(outcomes), converged.toMillis(),
                api.get("/links").json().size());
    }
}
