package org.selfhostedgateway.reliability;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker engine goes away and comes back (a proxy in front of its socket is stopped and started): meanwhile a
 * create is refused with 503 and stores nothing, a delete is still done (the database decides), and once the engine
 * answers again everything catches up by itself.
 */
class DockerOutageTests {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private GatewayFixture gateway;
    private UnixSocketProxy proxy;

    @AfterEach
    void cleanUp() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void whileTheEngineIsDownCreatesAreRefusedDeletesAreKeptAndEverythingCatchesUpWhenItIsBack() throws Exception {
        gateway = new GatewayFixture(47700, 47799);
        proxy = new UnixSocketProxy(gateway.workDir.resolve("docker.sock"), Path.of("/var/run/docker.sock"));
        proxy.start();
        TestApi api = gateway.startInJvm("--gateway.docker.host=" + proxy.dockerHost());
        String kept = api.createLink("kept.outage.example.test", "kept:80").json().get("id").asString();
        String gone = api.createLink("gone.outage.example.test", "gone:80").json().get("id").asString();
        gateway.awaitConverged(api, CONVERGE);

        proxy.stop();

        TestApi.Reply refused = api.createLink("new.outage.example.test", "new:80");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("title").asString()).isEqualTo("Docker engine unavailable");
        assertThat(refused.json().get("detail").asString()).contains("Nothing was changed");
        assertThat(api.get("/links?fqdn=new.outage.example.test").json()).as("no row for a refused create").isEmpty();

        assertThat(api.delete("/links/" + gone).status()).as("the database decides a delete").isEqualTo(204);
        assertThat(api.get("/links/" + gone).status()).isEqualTo(404);
        // The engine itself is fine: only the gateway cannot reach it. Its container is now an orphan, and the
        // kept link loses its container behind the gateway's back.
        assertThat(gateway.linkContainers()).containsKey(gone);
        gateway.docker.removeContainerCmd("sg-link-" + kept).withForce(true).exec();
        ControlPlaneProcess.sleep(5_000); // two reconcile passes fail meanwhile
        assertThat(api.get("/links/" + kept).json().get("state").asString()).isEqualTo("ACTIVE");

        long back = System.nanoTime();
        proxy.start();
        gateway.awaitConverged(api, CONVERGE);
        long caughtUpMillis = (System.nanoTime() - back) / 1_000_000;
        assertThat(gateway.linkContainers()).containsOnlyKeys(kept);
        assertThat(api.createLink("new.outage.example.test", "new:80").status()).isEqualTo(201);
        gateway.awaitConverged(api, CONVERGE);
        System.out.printf("DockerOutageTests: caught up %d ms after the engine came back%n", caughtUpMillis);
    }
}
