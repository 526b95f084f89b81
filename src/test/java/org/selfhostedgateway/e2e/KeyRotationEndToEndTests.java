package org.selfhostedgateway.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key rotation and the plain WireGuard config through real containers: a rotated link's old home side can no longer
 * complete a handshake, the new snippet serves again; a home machine without Docker, set up with wg-quick from
 * GET /links/{id}/wireguard and a web server on its tunnel address, is served through the gateway.
 */
@ExtendWith(SharedGateway.class)
class KeyRotationEndToEndTests {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final Duration FIRST_CERTIFICATE = Duration.ofSeconds(90);
    private static final Duration HANDSHAKE = Duration.ofSeconds(30);
    /** WireGuard retries a handshake every 5 s: several tries fit in this. */
    private static final Duration SEVERAL_HANDSHAKE_TRIES = Duration.ofSeconds(20);

    static DataPlaneFixture gateway;
    static final List<String> linkIds = new ArrayList<>();
    static final List<GenericContainer<?>> homeContainers = new ArrayList<>();

    @BeforeAll
    static void gateway(DataPlaneFixture shared) throws Exception {
        gateway = shared;
        homeContainers.add(gateway.startDemoApp("keys-app", "hello from keys-app"));
    }

    @AfterAll
    static void removeWhatThisClassMade() {
        if (gateway == null) {
            return;
        }
        homeContainers.forEach(GenericContainer::stop);
        linkIds.forEach(id -> gateway.api().delete("/links/" + id));
    }

    @Test
    void aRotatedLinkRefusesTheOldKeysAndServesAgainWithTheNewSnippet() throws Exception {
        TestApi api = gateway.api();
        String fqdn = "keys-rotate.example.test";
        Reply created = api.createLink(fqdn, "keys-app:8000");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode before = created.json();
        String id = before.get("id").asString();
        linkIds.add(id);
        gateway.waitForState(id, "ACTIVE", CONVERGE);
        GenericContainer<?> oldHome = gateway.startClientLink(before.get("compose").asString());
        homeContainers.add(oldHome);
        gateway.waitForPage(fqdn, "hello from keys-app", FIRST_CERTIFICATE);
        String oldGatewayKey = before.get("gatewayPublicKey").asString();
        String oldContainer = gateway.linkContainer(id).getId();
        // The way of proving below tells a working key from a dead one: with the old keys still current, a fresh
        // handshake of the old home side completes.
        String endpoint = restartHandshake(oldHome, oldGatewayKey);
        DataPlaneFixture.waitFor(HANDSHAKE, "a fresh handshake with the current keys",
                () -> latestHandshake(oldHome, oldGatewayKey) > 0);

        Reply rotated = api.post("/links/" + id + "/keys", "");

        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        JsonNode after = rotated.json();
        String newGatewayKey = after.get("gatewayPublicKey").asString();
        assertThat(after.get("udpPort").asInt()).isEqualTo(before.get("udpPort").asInt());
        DataPlaneFixture.waitFor(CONVERGE, "the gateway side to run with the new keys", () -> {
            var container = gateway.linkContainer(id);
            return container != null && !container.getId().equals(oldContainer)
                    && Boolean.TRUE.equals(container.getState().getRunning())
                    && newGatewayKey.equals(container.getConfig().getLabels()
                    .get("io.selfhosted-gateway.gateway-public-key"));
        });
        gateway.waitForState(id, "ACTIVE", CONVERGE);

        // The old home side tries again with the old keys, as its own monitor would once its session went stale.
        restartHandshake(oldHome, oldGatewayKey, endpoint);
        long triedUntil = System.nanoTime() + SEVERAL_HANDSHAKE_TRIES.toNanos();
        while (System.nanoTime() < triedUntil) {
            assertThat(latestHandshake(oldHome, oldGatewayKey)).as("a handshake with the old keys").isZero();
            Thread.sleep(1000);
        }
        assertThat(bytesSent(oldHome)).as("the old home side did try: its handshake initiations went out")
                .isPositive();
        assertThat(gatewayHandshakes(id)).as("the gateway side saw no handshake with anyone")
                .matches("\\S+\\t0\\s*");
        assertThat(gateway.https(fqdn, "/").output()).doesNotContain("hello from keys-app");

        oldHome.stop();
        GenericContainer<?> newHome = gateway.startClientLink(after.get("compose").asString());
        homeContainers.add(newHome);
        gateway.waitForPage(fqdn, "hello from keys-app", FIRST_CERTIFICATE);
        assertThat(gatewayHandshakes(id)).startsWith(after.get("clientPublicKey").asString() + "\t")
                .doesNotMatch("\\S+\\t0\\s*");
    }

    @Test
    void aHomeMachineWithoutDockerServesThroughTheWgQuickConfig() throws Exception {
        TestApi api = gateway.api();
        String fqdn = "keys-wgquick.example.test";
        Reply created = api.post("/links", TestApi.json("fqdn", fqdn, "expose", "keys-app:8000",
                "visitorAddress", "NONE"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asString();
        linkIds.add(id);
        gateway.waitForState(id, "ACTIVE", CONVERGE);
        String config = api.get("/links/" + id + "/wireguard").body();
        assertThat(config).contains("Endpoint = " + created.json().get("endpoint").asString())
                .doesNotContain("PROXY protocol v1 line");

        GenericContainer<?> machine = gateway.startPlainHomeMachine();
        homeContainers.add(machine);
        machine.copyFileToContainer(Transferable.of(config.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                0600), "/etc/wireguard/sg0.conf");
        ExecResult up = machine.execInContainer("wg-quick", "up", "sg0");
        assertThat(up.getExitCode()).as(up.getStderr()).isZero();
        DataPlaneFixture.waitFor(HANDSHAKE, "the wg-quick tunnel's first handshake",
                () -> latestHandshake(machine, "sg0", created.json().get("gatewayPublicKey").asString()) > 0);
        assertThat(machine.execInContainer("ip", "-4", "address", "show", "sg0").getStdout())
                .contains("inet 10.231.0.2/30").contains("mtu 1420");

        // What README "Without Docker at home" asks of the machine: HTTPS for the link's name on its tunnel address
        // (a certificate through ACME HTTP-01 or TLS-ALPN-01, both through the gateway).
        machine.copyFileToContainer(Transferable.of("""
                {
                	admin off
                	email admin@example.test
                	acme_ca https://pebble:14000/dir
                	acme_ca_root /etc/sg-test/pebble-minica.pem
                }

                %s {
                	bind 10.231.0.2
                	respond "hello from a home without Docker"
                }
                """.formatted(fqdn)), "/etc/caddy/Caddyfile");
        ExecResult caddy = machine.execInContainer("sh", "-c",
                "caddy start --config /etc/caddy/Caddyfile --adapter caddyfile >/tmp/caddy.log 2>&1");
        assertThat(caddy.getExitCode()).as(machine.execInContainer("cat", "/tmp/caddy.log").getStdout()).isZero();

        gateway.waitForPage(fqdn, "hello from a home without Docker", FIRST_CERTIFICATE);
    }

    /** Drops the home side's session with the gateway and sets the peer again: its next packet starts a handshake. */
    private static String restartHandshake(GenericContainer<?> home, String gatewayKey) throws Exception {
        String endpoints = home.execInContainer("wg", "show", "wg0", "endpoints").getStdout();
        String endpoint = endpoints.strip().split("\\s+")[1];
        restartHandshake(home, gatewayKey, endpoint);
        return endpoint;
    }

    private static void restartHandshake(GenericContainer<?> home, String gatewayKey, String endpoint)
            throws Exception {
        ExecResult reset = home.execInContainer("sh", "-c", "wg set wg0 peer \"$0\" remove && wg set wg0 peer \"$0\" "
                + "allowed-ips 10.231.0.1/32 endpoint \"$1\" persistent-keepalive 25", gatewayKey, endpoint);
        assertThat(reset.getExitCode()).as(reset.getStderr()).isZero();
    }

    private static long latestHandshake(GenericContainer<?> home, String gatewayKey) {
        return latestHandshake(home, "wg0", gatewayKey);
    }

    private static long latestHandshake(GenericContainer<?> home, String device, String gatewayKey) {
        try {
            for (String line : home.execInContainer("wg", "show", device, "latest-handshakes").getStdout()
                    .split("\n")) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length == 2 && fields[0].equals(gatewayKey)) {
                    return Long.parseLong(fields[1]);
                }
            }
            return 0;
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long bytesSent(GenericContainer<?> home) throws Exception {
        String[] fields = home.execInContainer("wg", "show", "wg0", "transfer").getStdout().strip().split("\\s+");
        return Long.parseLong(fields[2]);
    }

    /** The gateway-link's peer as {@code wg show wg0 latest-handshakes} prints it: public key, tab, epoch. */
    private static String gatewayHandshakes(String linkId) {
        DataPlaneFixture.CommandOutput shown = DataPlaneFixture.run(Duration.ofSeconds(30),
                List.of("docker", "exec", "sg-link-" + linkId, "wg", "show", "wg0", "latest-handshakes"));
        assertThat(shown.exitCode()).as(shown.output()).isZero();
        return shown.output();
    }
}
