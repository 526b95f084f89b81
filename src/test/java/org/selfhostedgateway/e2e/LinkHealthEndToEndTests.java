package org.selfhostedgateway.e2e;

import java.time.Duration;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.provisioning.Reconciler;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #5 through real containers: is each tunnel really up? The stale threshold is lowered to {@link #STALE} and
 * sweeps run every second so that the whole story fits in a minute; the rules are those of production.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinkHealthEndToEndTests {

    private static final Duration STALE = Duration.ofSeconds(15);
    private static final Duration SWEEP = Duration.ofSeconds(1);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration SERVING_INTERVAL = Duration.ofSeconds(5);

    static DataPlaneFixture gateway;
    static String waiting;
    static String connected;
    static GenericContainer<?> client;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = new DataPlaneFixture();
        // The reconciler would restart a stopped gateway-link at once; here it must stay stopped to be seen DOWN.
        gateway.startControlPlane("gateway.health.interval=" + SWEEP.toSeconds() + "s",
                "gateway.health.stale-after=" + STALE.toSeconds() + "s", "gateway.reconcile.interval=1h",
                // Serving checks ask the test's DNS (Pebble's), where every name points at NGINX unless told otherwise.
                "gateway.serving.interval=" + SERVING_INTERVAL.toSeconds() + "s",
                "gateway.serving.dns-server=" + gateway.dnsServer(),
                "gateway.serving.public-addresses=" + gateway.nginxIp());
        gateway.startDemoApp("app-h", "hello from the health app");
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void aLinkWhoseClientNeverStartedIsWaiting() {
        waiting = gateway.api().createLink("waiting.example.test", "app-h:8000").json().get("id").asString();
        gateway.waitForState(waiting, "ACTIVE", SETTLE);

        JsonNode health = healthWhen(waiting, h -> h.get("status").asString().equals("WAITING"));
        assertThat(health.get("container").asString()).isEqualTo("running");
        assertThat(health.has("lastHandshakeAt")).isFalse();
        assertThat(health.get("rxBytes").asLong()).isZero();
        assertThat(gateway.api().get("/links").json().get(0).get("health").get("status").asString())
                .as("the list shows health too").isEqualTo("WAITING");
    }

    @Test
    @Order(2)
    void aLinkWithARunningClientIsConnectedAndItsByteCountersGrowWithTraffic() {
        TestApi api = gateway.api();
        connected = api.createLink("connected.example.test", "app-h:8000").json().get("id").asString();
        gateway.waitForState(connected, "ACTIVE", SETTLE);
        client = gateway.startClientLink(api.get("/links/" + connected + "/compose").body());
        gateway.waitForPage("connected.example.test", "hello from the health app", Duration.ofSeconds(90));

        JsonNode first = healthWhen(connected, h -> h.get("status").asString().equals("CONNECTED"));
        assertThat(first.get("handshakeAgeSeconds").asLong()).isLessThanOrEqualTo(STALE.toSeconds());
        assertThat(first.get("rxBytes").asLong()).isPositive();
        assertThat(first.get("txBytes").asLong()).isPositive();

        for (int i = 0; i < 5; i++) {
            assertThat(gateway.https("connected.example.test", "/").output()).contains("hello from the health app");
        }
        healthWhen(connected, h -> h.get("rxBytes").asLong() > first.get("rxBytes").asLong()
                && h.get("txBytes").asLong() > first.get("txBytes").asLong());

        // Sweeps read WireGuard's control socket: no process is started in the link container, by the gateway or
        // by a Docker health check.
        java.time.Instant since = java.time.Instant.now();
        healthWhen(connected, h -> java.time.Instant.parse(h.get("checkedAt").asString())
                .isAfter(since.plus(SWEEP.multipliedBy(2))));
        DataPlaneFixture.CommandOutput execs = DataPlaneFixture.run(Duration.ofSeconds(30), java.util.List.of("docker",
                "events", "--since", since.toString(), "--until", java.time.Instant.now().toString(), "--filter",
                "container=sg-link-" + connected, "--filter", "event=exec_create", "--format", "{{.Action}}"));
        assertThat(execs.exitCode()).isZero();
        assertThat(execs.output().trim()).as("execs into the link container during two sweeps").isEmpty();
    }

    @Test
    @Order(3)
    void prometheusShowsLinksByStateAndHealthBytesAndHandshakeAgePerLinkAndDataPlaneTimings() {
        assertThat(gateway.anonymousApi().get("/actuator/prometheus").status())
                .as("metrics need the token").isEqualTo(401);

        String metrics = gateway.api().get("/actuator/prometheus").body();

        assertThat(metrics)
                .contains("gateway_links{state=\"ACTIVE\"} 2.0")
                .contains("gateway_links_health{status=\"CONNECTED\"} 1.0")
                .contains("gateway_links_health{status=\"WAITING\"} 1.0")
                .containsPattern("gateway_link_received_bytes_total\\{fqdn=\"connected.example.test\"} [1-9]")
                .containsPattern("gateway_link_sent_bytes_total\\{fqdn=\"connected.example.test\"} [1-9]")
                .containsPattern("gateway_link_handshake_age_seconds\\{fqdn=\"connected.example.test\"} [0-9]")
                .contains("gateway_link_handshake_age_seconds{fqdn=\"waiting.example.test\"} NaN")
                .containsPattern("gateway_link_provisioning_seconds_count [1-9]")
                .containsPattern("gateway_nginx_reload_seconds_count\\{outcome=\"success\"} [1-9]")
                .containsPattern("gateway_reconcile_runs_total\\{outcome=\"completed\"} [1-9]")
                .containsPattern("gateway_health_sweep_seconds_count [1-9]");
    }

    @Test
    @Order(4)
    void healthAnswersWithoutATokenButShowsComponentsOnlyInside() {
        TestApi anonymous = gateway.anonymousApi();
        TestApi.Reply health = anonymous.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.body()).doesNotContain("components").doesNotContain("docker").doesNotContain("nginx");

        HealthContributorRegistry registry = gateway.bean(HealthContributorRegistry.class);
        assertThat(((HealthIndicator) registry.getContributor("docker")).health().getStatus()).isEqualTo(Status.UP);
        assertThat(((HealthIndicator) registry.getContributor("gatewayNginx")).health().getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    @Order(5)
    void stoppingTheClientTurnsTheLinkDisconnectedOnceItsHandshakeIsStale() {
        client.stop();
        long stopped = System.nanoTime();

        JsonNode health = healthWhen(connected, h -> h.get("status").asString().equals("DISCONNECTED"));

        long seconds = Duration.ofNanos(System.nanoTime() - stopped).toSeconds();
        System.out.printf("HEALTH client stopped -> DISCONNECTED after %d s (stale after %d s, sweep %d s)%n",
                seconds, STALE.toSeconds(), SWEEP.toSeconds());
        assertThat(seconds).isLessThanOrEqualTo(STALE.toSeconds() + SWEEP.toSeconds() + 2);
        assertThat(health.get("handshakeAgeSeconds").asLong()).isGreaterThanOrEqualTo(STALE.toSeconds());
        assertThat(health.get("lastHandshakeAt").asString()).isNotBlank();
    }

    @Test
    @Order(6)
    void aStoppedGatewayLinkIsDown() {
        gateway.stopBehindTheGatewaysBack(waiting);

        JsonNode health = healthWhen(waiting, h -> h.get("status").asString().equals("DOWN"));

        assertThat(health.get("container").asString()).isEqualTo("exited");
        assertThat(gateway.api().get("/actuator/prometheus").body())
                .contains("gateway_links_health{status=\"DOWN\"} 1.0");
    }

    @Test
    @Order(7)
    void aRecreatedGatewayLinkGreetsItsClientAtTheLastEndpointSeen() throws Exception {
        client = gateway.startClientLink(gateway.api().get("/links/" + connected + "/compose").body());
        healthWhen(connected, h -> h.get("status").asString().equals("CONNECTED"));
        gateway.waitForPage("connected.example.test", "hello from the health app", SETTLE);
        Thread.sleep(2 * SWEEP.toMillis()); // a sweep stores where the client was seen

        gateway.removeBehindTheGatewaysBack(connected);
        long removed = System.nanoTime();
        gateway.bean(Reconciler.class).reconcileNow();

        String endpoint = exec(connected, "cat", "/etc/wireguard-link/peer-endpoint").strip();
        assertThat(endpoint).matches("\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+");
        DataPlaneFixture.waitFor(Duration.ofSeconds(10), "the new container to greet " + endpoint,
                () -> exec(connected, "wg", "show", "wg0", "endpoints").contains(endpoint));
        System.out.printf("HEALTH gateway-link removed -> recreated and greeting %s after %.1f s%n", endpoint,
                (System.nanoTime() - removed) / 1e9);
        // Serving again is DataPlaneEndToEndTests' business: here the client reaches the gateway through Docker's
        // userland proxy, whose port dies with the old container, so the greeting cannot arrive (see README).
    }

    @Test
    @Order(8)
    void aClientWhoseGatewayNameFirstResolvesWronglyConnectsOnceTheNameIsRight() throws Exception {
        JsonNode link = gateway.api().createLink("renamed.example.test", "app-h:8000").json();
        String id = link.get("id").asString();
        gateway.waitForState(id, "ACTIVE", SETTLE);
        String realHost = link.get("endpoint").asString().replaceFirst(":\\d+$", "");
        // The snippet names the gateway by a host name that, at first, points nowhere useful (the client itself).
        String compose = gateway.api().get("/links/" + id + "/compose").body()
                .replace("GATEWAY_ENDPOINT: " + realHost + ":", "GATEWAY_ENDPOINT: gateway.example.test:");
        GenericContainer<?> renamed = gateway.startClientLink(compose, "gateway.example.test", "127.0.0.1");
        Thread.sleep(8_000);
        assertThat(gateway.api().get("/links/" + id).json().get("health").get("status").asString())
                .isEqualTo("WAITING");
        assertThat(renamed.isRunning()).as("a failed first connection does not end the client").isTrue();

        // The gateway's name now resolves to its real address, as after a DNS update; nothing is restarted.
        renamed.execInContainer("sh", "-c", "grep -v gateway.example.test /etc/hosts > /tmp/hosts && echo \""
                + realHost + " gateway.example.test\" >> /tmp/hosts && cat /tmp/hosts > /etc/hosts");
        long fixed = System.nanoTime();

        healthWhen(id, h -> h.get("status").asString().equals("CONNECTED"));
        System.out.printf("HEALTH gateway name fixed -> client CONNECTED after %.1f s%n",
                (System.nanoTime() - fixed) / 1e9);
    }

    @Test
    @Order(9)
    void aWorkingLinkIsServingWithItsCertificatesIssuerAndExpiryInTheApiAndTheMetrics() {
        TestApi api = gateway.api();
        String served = activeLink("served.example.test");
        gateway.startClientLink(api.get("/links/" + served + "/compose").body());
        gateway.waitForPage("served.example.test", "hello from the health app", Duration.ofSeconds(90));

        TestApi.Reply check = api.post("/links/" + served + "/check", "");

        assertThat(check.status()).isEqualTo(200);
        JsonNode serving = check.json();
        assertThat(serving.get("status").asString()).isEqualTo("SERVING");
        assertThat(serving.get("summary").asString()).startsWith("Serving: certificate expires in ")
                .contains("Pebble");
        assertThat(serving.get("certificate").get("issuer").asString()).contains("Pebble");
        assertThat(serving.get("certificate").get("names").get(0).asString()).isEqualTo("served.example.test");
        assertThat(java.time.Instant.parse(serving.get("certificate").get("notAfter").asString()))
                .isAfter(java.time.Instant.now().plus(Duration.ofDays(1)));
        assertThat(serving.get("certificate").get("trusted").asBoolean()).as("Pebble's root is a test CA").isFalse();
        assertThat(serving.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(serving.get("dnsPointsHere").asBoolean()).isTrue();
        assertThat(api.get("/links/" + served).json().get("serving").get("status").asString()).isEqualTo("SERVING");
        assertThat(api.get("/actuator/prometheus").body())
                .containsPattern("gateway_link_certificate_expiry_seconds\\{fqdn=\"served.example.test\"} [1-9]")
                .containsPattern("gateway_links_serving\\{status=\"SERVING\"} [1-9]");
    }

    @Test
    @Order(10)
    void aLinkWhoseHomeSideIsNotRunningSaysSoOnTheScheduleAndOnDemand() {
        TestApi api = gateway.api();
        String lonely = activeLink("lonely.example.test");
        healthWhen(lonely, h -> h.get("status").asString().equals("WAITING"));

        JsonNode scheduled = servingWhen(lonely, s -> s.get("summary").asString().contains("never connected"));

        assertThat(scheduled.get("status").asString()).isEqualTo("NOT_SERVING");
        assertThat(scheduled.get("summary").asString()).startsWith("The home side has never connected: start its "
                + "client-link").contains("UDP port " + api.get("/links/" + lonely).json().get("udpPort").asInt());
        assertThat(scheduled.has("certificate")).isFalse();
        JsonNode onDemand = api.post("/links/" + lonely + "/check", "").json();
        assertThat(onDemand.get("summary").asString()).isEqualTo(scheduled.get("summary").asString());
        assertThat(java.time.Instant.parse(onDemand.get("checkedAt").asString()))
                .isAfter(java.time.Instant.parse(scheduled.get("checkedAt").asString()));
        assertThat(api.get("/actuator/prometheus").body())
                .contains("gateway_link_certificate_expiry_seconds{fqdn=\"lonely.example.test\"} NaN");
    }

    @Test
    @Order(11)
    void aHomeSideWhoseCaRefusesItHasNoCertificateYet() {
        TestApi api = gateway.api();
        // Pebble's blocklist (images/test-pebble/pebble-config.json) holds this name: every order is refused.
        String refused = activeLink("refused.example.test");
        GenericContainer<?> home = gateway.startClientLink(api.get("/links/" + refused + "/compose").body());
        healthWhen(refused, h -> h.get("status").asString().equals("CONNECTED"));
        DataPlaneFixture.waitFor(SETTLE, "the CA to refuse the home side",
                () -> home.getLogs().contains("rejectedIdentifier"));

        JsonNode serving = api.post("/links/" + refused + "/check", "").json();

        assertThat(serving.get("status").asString()).isEqualTo("NOT_SERVING");
        assertThat(serving.get("summary").asString())
                .isEqualTo("No certificate yet: the home side is still asking its CA, see its log (docker compose "
                        + "logs on the home server)");
        assertThat(serving.get("tlsError").asString()).isNotBlank();
        assertThat(serving.get("dnsPointsHere").asBoolean()).isTrue();
    }

    @Test
    @Order(12)
    void aNameWhoseDnsPointsElsewhereSaysWhere() {
        gateway.pointDnsAt("elsewhere.example.test", "198.51.100.4");
        TestApi api = gateway.api();
        String elsewhere = activeLink("elsewhere.example.test");

        JsonNode serving = api.post("/links/" + elsewhere + "/check", "").json();

        assertThat(serving.get("status").asString()).isEqualTo("NOT_SERVING");
        assertThat(serving.get("summary").asString()).isEqualTo("DNS for elsewhere.example.test points at "
                + "198.51.100.4, not this gateway (" + gateway.nginxIp() + ")");
        assertThat(serving.get("dnsAddresses").get(0).asString()).isEqualTo("198.51.100.4");
        assertThat(serving.get("dnsPointsHere").asBoolean()).isFalse();
        assertThat(api.post("/links/unknown-link/check", "").status()).isEqualTo(404);

        org.selfhostedgateway.ui.PageClient page = gateway.page();
        assertThat(page.get("/").body()).contains(">NOT_SERVING</span>").contains(">SERVING</span>");
        assertThat(page.get("/ui/links/" + elsewhere).body()).contains("NOT_SERVING")
                .contains("DNS for elsewhere.example.test points at 198.51.100.4, not this gateway");
        var checked = page.follow(page.submit("/ui/links/" + elsewhere + "/check", java.util.Map.of()));
        assertThat(checked.body()).contains("Checked just now: DNS for elsewhere.example.test points at 198.51.100.4");
    }

    @Test
    @Order(13)
    void everyAliasIsCheckedWithItsOwnDnsAndCertificateAndOneThatFailsIsNamed() {
        TestApi api = gateway.api();
        gateway.pointDnsAt("away.aliased.example.test", "198.51.100.4");
        TestApi.Reply created = api.post("/links", "{\"fqdn\": \"aliased.example.test\", \"expose\": \"app-h:8000\", "
                + "\"aliases\": [\"www.aliased.example.test\", \"away.aliased.example.test\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        gateway.waitForState(id, "ACTIVE", SETTLE);
        gateway.startClientLink(api.get("/links/" + id + "/compose").body());
        gateway.waitForPage("aliased.example.test", "hello from the health app", Duration.ofSeconds(90));
        gateway.waitForPage("www.aliased.example.test", "hello from the health app", Duration.ofSeconds(90));

        JsonNode serving = api.post("/links/" + id + "/check", "").json();

        assertThat(serving.get("status").asString()).as("a visitor of one name is turned away").isEqualTo("NOT_SERVING");
        assertThat(serving.get("summary").asString()).isEqualTo("The alias away.aliased.example.test does not serve: "
                + "DNS for away.aliased.example.test points at 198.51.100.4, not this gateway (" + gateway.nginxIp()
                + ") (aliased.example.test serves)");
        assertThat(serving.get("certificate").get("names").get(0).asString()).isEqualTo("aliased.example.test");
        JsonNode www = serving.get("aliases").get(0);
        assertThat(www.get("name").asString()).isEqualTo("www.aliased.example.test");
        assertThat(www.get("status").asString()).isEqualTo("SERVING");
        assertThat(www.get("summary").asString()).startsWith("Serving: certificate expires in ");
        assertThat(www.get("certificate").get("names").get(0).asString()).as("its own certificate")
                .isEqualTo("www.aliased.example.test");
        assertThat(serving.get("aliases").get(1).get("status").asString()).isEqualTo("NOT_SERVING");
        assertThat(api.get("/actuator/prometheus").body()).containsPattern(
                "gateway_link_certificate_expiry_seconds\\{fqdn=\"www.aliased.example.test\"} [1-9]");
        assertThat(gateway.page().get("/ui/links/" + id).body()).contains("www.aliased.example.test")
                .contains("The alias away.aliased.example.test does not serve");

        // Without the alias whose DNS is elsewhere, every name serves.
        assertThat(api.patch("/links/" + id, "{\"aliases\": [\"www.aliased.example.test\"]}").status()).isEqualTo(200);
        JsonNode fixed = api.post("/links/" + id + "/check", "").json();
        assertThat(fixed.get("status").asString()).as(fixed.toString()).isEqualTo("SERVING");
        assertThat(fixed.get("aliases").size()).isEqualTo(1);
    }

    private static String exec(String linkId, String... command) {
        var docker = org.testcontainers.DockerClientFactory.instance().client();
        var exec = docker.execCreateCmd("sg-link-" + linkId).withCmd(command).withAttachStdout(true).exec();
        var out = new java.io.ByteArrayOutputStream();
        try {
            docker.execStartCmd(exec.getId()).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                    com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                    out.writeBytes(frame.getPayload());
                }
            }).awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The link's last serving check once it satisfies the condition, waiting for scheduled checks only. */
    private static JsonNode servingWhen(String linkId, Predicate<JsonNode> condition) {
        return fieldWhen(linkId, "serving", Duration.ofSeconds(90), condition);
    }

    private static String activeLink(String fqdn) {
        String id = gateway.api().createLink(fqdn, "app-h:8000").json().get("id").asString();
        gateway.waitForState(id, "ACTIVE", SETTLE);
        return id;
    }

    /** The link's health once it satisfies the condition, waiting at most {@link #SETTLE} beyond the stale time. */
    private static JsonNode healthWhen(String linkId, Predicate<JsonNode> condition) {
        return fieldWhen(linkId, "health", SETTLE.plus(STALE), condition);
    }

    /** A field of the link (health, serving) once it is there and satisfies the condition. */
    private static JsonNode fieldWhen(String linkId, String field, Duration timeout, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        DataPlaneFixture.waitFor(timeout, "the " + field + " of link " + linkId + " to change", () -> {
            last[0] = gateway.api().get("/links/" + linkId).json().get(field);
            return last[0] != null && !last[0].isNull() && condition.test(last[0]);
        });
        return last[0];
    }
}
