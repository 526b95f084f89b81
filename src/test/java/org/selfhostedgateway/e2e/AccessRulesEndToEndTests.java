package org.selfhostedgateway.e2e;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.e2e.DataPlaneFixture.CommandOutput;
import org.testcontainers.containers.GenericContainer;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Visitor access rules through real containers: IP rules refuse a visitor at the gateway's NGINX (on 443 and 80),
 * basic auth is asked for at home once the home side runs the new snippet, and a change of rules leaves other links'
 * connections alone. The visitor has a fixed address that NGINX sees; the test host (which NGINX sees as another
 * address) is a second visitor.
 */
@ExtendWith(SharedGateway.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessRulesEndToEndTests {

    private static final Duration FIRST_CERTIFICATE = Duration.ofSeconds(120);
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final String IP_FQDN = "acl-ip.example.test";
    private static final String AUTH_FQDN = "acl-auth.example.test";
    private static final String DOWNLOAD_FQDN = "acl-download.example.test";
    private static final String PAGE = "hello from the acl app";

    static DataPlaneFixture gateway;
    static Visitor visitor;
    static String ipLink;

    @BeforeAll
    static void gateway(DataPlaneFixture shared) {
        gateway = shared;
        visitor = gateway.startVisitor();
    }

    /** A link, its demo app and its home side, serving. */
    record Started(String id, GenericContainer<?> client) {
    }

    static Reply putAccess(String linkId, String body) {
        return gateway.api().put("/links/" + linkId + "/access", body);
    }

    static Started startLinkWithClient(String fqdn, String app, Map<String, String> clientEnvironment)
            throws Exception {
        gateway.startDemoApp(app, PAGE);
        String id = gateway.api().createLink(fqdn, app + ":8000").json().get("id").asString();
        gateway.waitForState(id, "ACTIVE", CONVERGE);
        GenericContainer<?> client = gateway.startClientLink(gateway.api().get("/links/" + id + "/compose").body(),
                clientEnvironment);
        gateway.waitForPage(fqdn, PAGE, FIRST_CERTIFICATE);
        return new Started(id, client);
    }

    /** Waits until the visitor is refused at the gateway: no TLS on 443 (nothing reaches home), 403 on 80. */
    static void waitUntilVisitorRefused(String marker) {
        DataPlaneFixture.waitFor(CONVERGE, "the gateway to refuse the visitor " + visitor.address(), () -> {
            // Served until the reload is in force: only the requests after it carry the marker.
            CommandOutput https = visitor.https(IP_FQDN, "/?acl-probe");
            return https.exitCode() != 0 && !https.output().contains(PAGE);
        });
        CommandOutput https = visitor.https(IP_FQDN, "/?" + marker);
        // curl fails in the TLS handshake: the connection was closed before any certificate, so no byte came from
        // the home side (a refusal there would be an HTTP answer after a handshake).
        assertThat(https.exitCode()).as(https.output()).isIn(35, 56);
        assertThat(visitor.http(IP_FQDN, "/?" + marker).output()).isEqualTo("403");
    }

    static void waitUntilVisitorServed() {
        DataPlaneFixture.waitFor(CONVERGE, "the gateway to serve the visitor " + visitor.address(),
                () -> visitor.https(IP_FQDN, "/").output().contains(PAGE));
        // Port 80 reaches the home side, which redirects to HTTPS.
        assertThat(visitor.http(IP_FQDN, "/").output()).isEqualTo("308");
    }

    @Test
    @Order(1)
    void aDeniedAddressIsClosedAtTheGatewayWhileAnAllowedOneIsServed() throws Exception {
        Started started = startLinkWithClient(IP_FQDN, "acl-ip-app", Map.of("LINK_ACCESS_LOG", "on"));
        ipLink = started.id();
        GenericContainer<?> ipClient = started.client();
        waitUntilVisitorServed();
        String visitorNetwork = visitor.address().substring(0, visitor.address().lastIndexOf('.')) + ".0/24";

        // Deny the visitor alone: refused, while the test host (another address) is still served.
        Reply denied = putAccess(ipLink, "{\"deny\": [\"" + visitor.address() + "/32\"]}");
        assertThat(denied.status()).as(denied.body()).isEqualTo(200);
        assertThat(denied.json().get("homeUpdate").asString()).contains("in force at the gateway at once")
                .contains("Nothing to do at home");
        waitUntilVisitorRefused("acl-denied-1");
        assertThat(gateway.https(IP_FQDN, "/").output()).contains(PAGE);

        // An allow list of the visitor's network: the visitor is served, the test host is not.
        assertThat(putAccess(ipLink, "{\"allow\": [\"" + visitorNetwork + "\"]}").status()).isEqualTo(200);
        waitUntilVisitorServed();
        DataPlaneFixture.waitFor(CONVERGE, "the test host, outside the allow list, to be refused",
                () -> gateway.https(IP_FQDN, "/").exitCode() != 0);
        assertThat(gateway.http(IP_FQDN, "/").output()).startsWith("403");

        // Deny wins over allow.
        assertThat(putAccess(ipLink, "{\"allow\": [\"" + visitorNetwork + "\"], \"deny\": [\"" + visitor.address()
                + "\"]}").status()).isEqualTo(200);
        waitUntilVisitorRefused("acl-denied-2");

        // An allow list that does not hold the visitor refuses it too.
        assertThat(putAccess(ipLink, "{\"allow\": [\"192.0.2.0/24\", \"2001:db8::/32\"]}").status()).isEqualTo(200);
        waitUntilVisitorRefused("acl-denied-3");

        // No rules: everyone is served again.
        assertThat(putAccess(ipLink, "{}").status()).isEqualTo(200);
        waitUntilVisitorServed();
        DataPlaneFixture.waitFor(CONVERGE, "the test host to be served again",
                () -> gateway.https(IP_FQDN, "/").output().contains(PAGE));
        assertThat(visitor.https(IP_FQDN, "/?acl-served").output()).contains(PAGE);

        // The home side saw the visitor's served requests and none of the refused ones: they never left the gateway.
        DataPlaneFixture.waitFor(Duration.ofSeconds(10), "the home side's access log",
                () -> ipClient.getLogs().contains("acl-served"));
        assertThat(ipClient.getLogs()).doesNotContain("acl-denied-");
    }

    @Test
    @Order(2)
    void basicAuthAnswers401WithoutCredentialsAnd200WithThemOnceTheHomeSideTakesTheNewSnippet() throws Exception {
        Started started = startLinkWithClient(AUTH_FQDN, "acl-auth-app", Map.of());
        String id = started.id();
        // bob brings a hash of his own, as htpasswd -nbB makes it ($2y$).
        String bobsHash = new BCryptPasswordEncoder(5).encode("hunter22").replace("$2a$", "$2y$");

        Reply changed = putAccess(id, "{\"basicAuth\": [{\"username\": \"alice\", \"password\": "
                + "\"alice's long password\"}, {\"username\": \"bob\", \"passwordHash\": "
                + "\"" + bobsHash + "\"}]}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("homeUpdate").asString()).contains("LINK_BASIC_AUTH");
        // Until the home side takes the snippet, it asks for nothing.
        assertThat(status(AUTH_FQDN)).isEqualTo("200");

        started.client().stop();
        gateway.startClientLink(changed.json().get("compose").asString());
        DataPlaneFixture.waitFor(FIRST_CERTIFICATE, "the new home side to ask for credentials",
                () -> "401".equals(status(AUTH_FQDN)));
        assertThat(status(AUTH_FQDN, "-u", "alice:alice's long password")).isEqualTo("200");
        assertThat(visitor.https(AUTH_FQDN, "/", "-u", "alice:alice's long password").output()).contains(PAGE);
        assertThat(status(AUTH_FQDN, "-u", "alice:wrong password")).isEqualTo("401");
        assertThat(status(AUTH_FQDN, "-u", "bob:hunter22")).as("bob's hash, given as htpasswd -B made it")
                .isEqualTo("200");
        assertThat(status(AUTH_FQDN, "-u", "mallory:alice's long password")).isEqualTo("401");
        // Port 80 still only redirects (ACME's HTTP-01 is answered there before any handler).
        assertThat(visitor.http(AUTH_FQDN, "/").output()).isEqualTo("308");
    }

    @Test
    @Order(3)
    void aChangeOfRulesOnOneLinkLeavesADownloadOnAnotherIntact() throws Exception {
        GenericContainer<?> app = gateway.startDemoApp("acl-download-app", PAGE);
        String id = gateway.api().createLink(DOWNLOAD_FQDN, "acl-download-app:8000").json().get("id").asString();
        gateway.waitForState(id, "ACTIVE", CONVERGE);
        gateway.startClientLink(gateway.api().get("/links/" + id + "/compose").body());
        gateway.waitForPage(DOWNLOAD_FQDN, PAGE, FIRST_CERTIFICATE);
        app.execInContainer("sh", "-c", "dd if=/dev/urandom of=/www/big.bin bs=1M count=8 2>/dev/null");
        String expected = app.execInContainer("sh", "-c", "busybox sha256sum /www/big.bin").getStdout()
                .split("\\s+")[0];
        java.nio.file.Path target = Files.createTempFile("sg-acl-download", ".bin");
        try {
            Process download = gateway.downloadInBackground(DOWNLOAD_FQDN, "/big.bin", target, "512K");
            int changes = 0;
            // Every change is an NGINX reload; each is waited for, so each really happened during the download.
            while (download.isAlive() && changes < 6) {
                boolean deny = changes % 2 == 0;
                assertThat(putAccess(ipLink, deny ? "{\"deny\": [\"" + visitor.address() + "\"]}" : "{}").status())
                        .isEqualTo(200);
                if (deny) {
                    waitUntilVisitorRefused("acl-during-download");
                }
                else {
                    waitUntilVisitorServed();
                }
                changes++;
            }
            assertThat(changes).as("rule changes while the download ran").isGreaterThanOrEqualTo(2);
            assertThat(download.waitFor(240, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(download.exitValue()).as(new String(download.getInputStream().readAllBytes())).isZero();
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(target));
            assertThat(java.util.HexFormat.of().formatHex(digest)).isEqualTo(expected);
        }
        finally {
            Files.deleteIfExists(target);
            putAccess(ipLink, "{}");
        }
    }

    @Test
    @Order(4)
    void aMalformedBasicAuthSettingStopsTheHomeSideWithAMessageThatNamesIt() {
        String hash = new BCryptPasswordEncoder(4).encode("a password");
        String base64 = java.util.Base64.getEncoder().encodeToString(hash.getBytes());
        Map<String, String> refused = Map.of(
                "alice", "is not name:hash",
                "al ice:" + base64, "is not name:hash",
                "a:l:" + base64, "is not a bcrypt hash",
                "ali\u00e9:" + base64, "user name",
                "alice:" + base64 + " alice:" + base64, "is given twice",
                "alice:$1$abc", "is not a bcrypt hash",
                "alice:" + base64.substring(4), "is not a bcrypt hash",
                "alice:" + java.util.Base64.getEncoder().encodeToString("not a bcrypt hash at all, but long enough to be 60".getBytes()),
                "is not a bcrypt hash");
        refused.forEach((value, message) -> {
            CommandOutput run = DataPlaneFixture.run(Duration.ofSeconds(60), java.util.List.of("docker", "run", "--rm",
                    "-e", "LINK_DOMAIN=acl-check.example.test", "-e", "EXPOSE=app:80",
                    "-e", "GATEWAY_ENDPOINT=gateway.example.test:51820",
                    "-e", "GATEWAY_CLIENT_WG_PRIVKEY=4M7Ap0euzTxq7gTA/WIYIt3nU+i2FvHUc9eYTFQ2CGI=",
                    "-e", "GATEWAY_LINK_WG_PUBKEY=Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=",
                    "-e", "LINK_BASIC_AUTH=" + value, org.selfhostedgateway.TestImages.image("client-link")));
            assertThat(run.exitCode()).as(value + ": " + run.output()).isNotZero();
            assertThat(run.output()).as(value).contains("error: LINK_BASIC_AUTH").contains(message)
                    .doesNotContain("starting Caddy");
        });
    }

    /** The visitor's HTTPS status code for this name (with extra curl arguments such as -u). */
    private static String status(String fqdn, String... curlArgs) {
        String[] args = new String[curlArgs.length + 4];
        args[0] = "-o";
        args[1] = "/dev/null";
        args[2] = "-w";
        args[3] = "%{http_code}";
        System.arraycopy(curlArgs, 0, args, 4, curlArgs.length);
        return visitor.https(fqdn, "/", args).output();
    }

}
