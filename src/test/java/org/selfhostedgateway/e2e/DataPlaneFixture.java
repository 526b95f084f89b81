package org.selfhostedgateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestGateway;
import org.selfhostedgateway.TestImages;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.yaml.snakeyaml.Yaml;

/**
 * A whole gateway and two "home" sides on one Docker engine: a {@link TestGateway} (NGINX and the control plane in
 * this JVM against the real engine, as it would run on a VPS) with Pebble on its network, and a home network (demo
 * apps, client links, Pebble as {@code pebble}). Everything it starts carries {@link TestGateway#TEST_LABEL} and is
 * removed by {@link #close()}, which is safe to call twice.
 */
public final class DataPlaneFixture implements AutoCloseable {

    static final String TEST_LABEL = TestGateway.TEST_LABEL;
    static final String TOKEN = "e2e-admin-token-0123456789";
    /** First of the 100 UDP host ports the links get; {@code -Dsg.e2e.firstPort} moves them (two runs on one host). */
    static final int FIRST_PORT = Integer.getInteger("sg.e2e.firstPort", 47100);

    private final TestGateway gateway;
    private final DockerClient docker;
    private final String runId;
    private final Path workDir;
    private final Network homeNetwork;
    /** Visitors' networks made so far: each gets a name of its own. */
    private int visitorNetworks;
    private final String gatewayNetworkName;
    private final GenericContainer<?> nginx;
    private final GenericContainer<?> pebble;
    private final Path pebbleTlsRoot;
    private final Path pebbleIssuingRoot;
    private final String homeGatewayIp;

    public DataPlaneFixture() throws Exception {
        this(FIRST_PORT);
    }

    /** A fixture whose links take the 100 UDP ports from {@code firstPort}, apart from other fixtures of the run. */
    public DataPlaneFixture(int firstPort) throws Exception {
        gateway = new TestGateway("e2e", TOKEN, firstPort, firstPort + 99);
        docker = gateway.docker();
        runId = gateway.runId();
        workDir = gateway.workDir();
        gatewayNetworkName = gateway.networkName();
        nginx = gateway.nginx();
        homeNetwork = gateway.network("sg-e2e-home-" + runId);
        homeGatewayIp = docker.inspectNetworkCmd().withNetworkId(homeNetwork.getId()).exec().getIpam().getConfig()
                .get(0).getGateway();

        pebble = start(new GenericContainer<>(image("test-pebble")).withNetwork(gateway.network())
                .withEnv("DNS_DEFAULT_IPV4", nginxIp())
                // The repository's configuration, so a change to it needs no image rebuild (refused.example.test
                // is on its blocklist: a CA that refuses a name).
                .withCopyToContainer(Transferable.of(readString(Path.of("images/test-pebble/pebble-config.json"))),
                        "/etc/pebble/pebble-config.json")
                .waitingFor(Wait.forSuccessfulCommand("test -s /etc/pebble/certs/minica.pem")));
        docker.connectToNetworkCmd().withContainerId(pebble.getContainerId()).withNetworkId(homeNetwork.getId())
                .withContainerNetwork(new ContainerNetwork().withAliases("pebble")).exec();
        pebbleTlsRoot = workDir.resolve("pebble-minica.pem");
        Files.writeString(pebbleTlsRoot, pebble.execInContainer("cat", "/etc/pebble/certs/minica.pem").getStdout());
        pebbleTlsRoot.toFile().setReadable(true, false);
        pebbleIssuingRoot = workDir.resolve("pebble-issuing-root.pem");
        waitFor(Duration.ofSeconds(30), "Pebble's management API", () -> curl("-fsS", "-o",
                pebbleIssuingRoot.toString(), "--cacert", pebbleTlsRoot.toString(), "--resolve",
                "pebble:15000:" + ip(pebble, gatewayNetworkName), "https://pebble:15000/roots/0").exitCode() == 0);
    }

    /** Starts the control plane (again) on the same data directory. */
    public TestApi startControlPlane() {
        return startControlPlane(new String[0]);
    }

    /** Starts the control plane with some settings ({@code name=value}) replacing or adding to {@link TestGateway}'s. */
    public TestApi startControlPlane(String... settings) {
        // Home sides reach the gateway's published UDP ports at the home network's gateway: this host.
        List<String> all = new ArrayList<>(List.of("gateway.link.public-host=" + homeGatewayIp));
        all.addAll(List.of(settings));
        return gateway.startInJvm(all.toArray(String[]::new));
    }

    public void stopControlPlane() {
        gateway.stopInJvm();
    }

    public TestApi api() {
        return gateway.api();
    }

    /** The web page, signed in with the admin token. */
    org.selfhostedgateway.ui.PageClient page() {
        org.selfhostedgateway.ui.PageClient page = new org.selfhostedgateway.ui.PageClient(apiPort());
        if (page.signIn(TOKEN).statusCode() != 302) {
            throw new IllegalStateException("the admin token did not sign in");
        }
        return page;
    }

    /** The API as a caller without a token sees it. */
    TestApi anonymousApi() {
        return new TestApi(apiPort(), null);
    }

    public <T> T bean(Class<T> type) {
        return gateway.bean(type);
    }

    String gatewayId() {
        return gateway.gatewayId();
    }

    /** A demo web app on the home network, serving one page with this text. */
    GenericContainer<?> startDemoApp(String alias, String page) throws Exception {
        return startDemoApp(alias, page, new GenericContainer<>(image("test-demo")));
    }

    /**
     * A service that says who it sees (peer, X-Forwarded-For, X-Real-IP): over HTTP at /cgi-bin/visitor, and as
     * the first message of a WebSocket to any path; "echo" at /.
     */
    GenericContainer<?> startVisitorEchoApp(String alias) throws Exception {
        return startDemoApp(alias, "echo", new GenericContainer<>(image("test-demo"))
                .withCommand("websocketd", "--port=8000", "--cgidir=/cgi", "--staticdir=/www",
                        "/usr/local/bin/sg-echo-visitor"));
    }

    /**
     * A visitor with a fixed address on a network of its own, which the gateway NGINX joins (as the internet
     * would reach it). The subnet is picked at random among 10.199.0.0/16's /24s; one already taken is skipped.
     */
    Visitor startVisitor() {
        // Named per visitor: classes sharing one gateway may each have their own.
        String networkName = "sg-e2e-visitor-" + runId + "-" + visitorNetworks++;
        for (int attempt = 0; ; attempt++) {
            String prefix = "10.199." + new java.util.Random().nextInt(256) + ".";
            Network network;
            try {
                network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withName(networkName)
                        .withLabels(Map.of(TEST_LABEL, "true"))
                        .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                                new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(prefix + "0/24"))))
                        .build();
                network.getId();
            }
            catch (RuntimeException overlapping) {
                if (attempt < 5) {
                    continue;
                }
                throw overlapping;
            }
            gateway.removedAtClose(network);
            docker.connectToNetworkCmd().withContainerId(nginx.getContainerId()).withNetworkId(network.getId()).exec();
            String address = prefix + "77";
            GenericContainer<?> visitor = start(new GenericContainer<>(image("test-demo")).withNetwork(network)
                    .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(address))
                    .withCopyToContainer(Transferable.of(readString(pebbleIssuingRoot)), Visitor.CA_FILE)
                    .waitingFor(Wait.forSuccessfulCommand("test -f /www/index.html")));
            String gatewayAddress = docker.inspectContainerCmd(nginx.getContainerId()).exec().getNetworkSettings()
                    .getNetworks().get(networkName).getIpAddress();
            return new Visitor(visitor, address, gatewayAddress);
        }
    }

    /** A demo web app that also echoes, line by line, what a WebSocket to any path sends it. */
    GenericContainer<?> startWebSocketDemoApp(String alias, String page) throws Exception {
        return startDemoApp(alias, page, new GenericContainer<>(image("test-demo"))
                .withCommand("websocketd", "--port=8000", "--staticdir=/www", "cat"));
    }

    /**
     * A demo app that also echoes raw traffic: TCP on 7000, UDP on 9000 and on each of 9100-9109 (socat), besides
     * its page on 8000.
     */
    GenericContainer<?> startEchoApp(String alias, String page) throws Exception {
        return startDemoApp(alias, page, new GenericContainer<>(image("test-demo")).withCommand("sh", "-c",
                "socat TCP4-LISTEN:7000,fork,reuseaddr PIPE & for p in 9000 $(seq 9100 9109); do "
                        + "socat UDP4-RECVFROM:$p,fork PIPE & done; exec busybox httpd -f -p 8000 -h /www"));
    }

    /** An address of this host that a visitor outside reaches published ports on (not loopback: no userland proxy). */
    String hostAddress() {
        return homeGatewayIp;
    }

    /** The port the control plane's API listens on. */
    int apiPort() {
        return gateway.apiPort();
    }

    private GenericContainer<?> startDemoApp(String alias, String page, GenericContainer<?> app) throws Exception {
        start(app.withNetwork(homeNetwork).withNetworkAliases(alias)
                .waitingFor(Wait.forSuccessfulCommand("test -f /www/index.html")));
        app.execInContainer("sh", "-c", "printf '%s\\n' \"$0\" > /www/index.html", page);
        return app;
    }

    /** A WebSocket through the gateway NGINX to this name, trusting only Pebble's issuing root. */
    EchoSocket openWebSocket(String fqdn, String path) throws Exception {
        return new EchoSocket(fqdn, path, nginxIp(), pebbleTrust());
    }

    /** TLS that trusts only Pebble's issuing root: what a visitor's browser trusts in these tests. */
    javax.net.ssl.SSLContext pebbleTrust() throws Exception {
        java.security.KeyStore roots = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        roots.load(null, null);
        try (var pem = Files.newInputStream(pebbleIssuingRoot)) {
            roots.setCertificateEntry("pebble", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(pem));
        }
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    /**
     * GET over HTTPS on a TCP connection to the gateway NGINX that the caller opened earlier: the ClientHello
     * (SNI {@code fqdn}, name checked against the certificate) is sent now. The whole answer, headers and body.
     */
    String httpsOver(java.net.Socket connected, String fqdn, String path) throws Exception {
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) pebbleTrust().getSocketFactory()
                .createSocket(connected, fqdn, 443, true);
        javax.net.ssl.SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        tls.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + fqdn + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Connections the gateway NGINX's 443 listener holds that no worker has accepted yet (its accept queue). */
    int httpsAcceptQueue() {
        // In /proc/net/tcp a listening socket (state 0A) shows its accept queue as rx_queue; 01BB is port 443.
        String table = nginxOutput("cat", "/proc/net/tcp", "/proc/net/tcp6");
        int queued = 0;
        for (String line : table.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 4 && fields[1].endsWith(":01BB") && fields[3].equals("0A")) {
                queued += Integer.parseInt(fields[4].substring(fields[4].indexOf(':') + 1), 16);
            }
        }
        return queued;
    }

    /** NGINX workers of an earlier configuration that are finishing their connections after a reload. */
    long drainingNginxWorkers() {
        String titles = nginxOutput("sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' '\\n'");
        return titles.lines().filter(title -> title.contains("worker process is shutting down")).count();
    }

    private String nginxOutput(String... command) {
        try {
            return nginx.execInContainer(command).getStdout();
        }
        catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command) + " in the gateway NGINX", e);
        }
    }

    /** Starts curl in the background: HTTPS through the gateway into a file, at a limited rate. */
    Process downloadInBackground(String fqdn, String path, java.nio.file.Path target, String rate) throws IOException {
        return new ProcessBuilder("curl", "-sS", "-f", "-m", "300", "--limit-rate", rate, "--resolve",
                fqdn + ":443:" + nginxIp(), "--cacert", pebbleIssuingRoot.toString(), "-o", target.toString(),
                "https://" + fqdn + path).redirectErrorStream(true).start();
    }

    /** Some other service on the gateway host that publishes a UDP port. */
    void startContainerPublishingUdp(int port) {
        startContainerPublishing(com.github.dockerjava.api.model.ExposedPort.udp(port));
    }

    /** Some other service on the gateway host that publishes a TCP port. */
    void startContainerPublishingTcp(int port) {
        startContainerPublishing(com.github.dockerjava.api.model.ExposedPort.tcp(port));
    }

    private void startContainerPublishing(com.github.dockerjava.api.model.ExposedPort port) {
        start(new GenericContainer<>(image("test-demo")).withNetwork(homeNetwork)
                .withCreateContainerCmdModifier(cmd -> cmd.withExposedPorts(port).getHostConfig().withPortBindings(
                        new com.github.dockerjava.api.model.PortBinding(
                                com.github.dockerjava.api.model.Ports.Binding.bindPort(port.getPort()), port)))
                .waitingFor(Wait.forSuccessfulCommand("test -f /www/index.html")));
    }

    /**
     * The client link exactly as the snippet says (image, environment, capability, device), plus only what a test
     * CA needs: Pebble's directory and the root that its HTTPS listener uses.
     */
    GenericContainer<?> startClientLink(String compose) {
        return startClientLink(compose, null, null, Map.of());
    }

    /** The client link as the snippet says, with one extra /etc/hosts entry (a name the test controls). */
    GenericContainer<?> startClientLink(String compose, String extraHost, String extraHostIp) {
        return startClientLink(compose, extraHost, extraHostIp, Map.of());
    }

    /** The client link as the snippet says, with options a user may add (LINK_ACCESS_LOG, say). */
    GenericContainer<?> startClientLink(String compose, Map<String, String> extraEnvironment) {
        return startClientLink(compose, null, null, extraEnvironment);
    }

    private GenericContainer<?> startClientLink(String compose, String extraHost, String extraHostIp,
            Map<String, String> extraEnvironment) {
        @SuppressWarnings("unchecked")
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(compose))
                .values().iterator().next();
        @SuppressWarnings("unchecked")
        Map<String, Object> environment = (Map<String, Object>) service.get("environment");
        Map<String, String> sysctls = new java.util.HashMap<>();
        if (service.get("sysctls") instanceof Map<?, ?> values) {
            values.forEach((name, value) -> sysctls.put(String.valueOf(name), String.valueOf(value)));
        }
        GenericContainer<?> client = new GenericContainer<>(DockerImageName.parse((String) service.get("image")))
                .withNetwork(homeNetwork)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN)
                        .withDevices(com.github.dockerjava.api.model.Device.parse("/dev/net/tun:/dev/net/tun"))
                        .withSysctls(sysctls)
                        .withRestartPolicy(com.github.dockerjava.api.model.RestartPolicy.parse(
                                (String) service.get("restart"))))
                .withCopyToContainer(Transferable.of(readString(pebbleTlsRoot)), "/etc/sg-test/pebble-minica.pem")
                .withEnv("ACME_CA", "https://pebble:14000/dir")
                .withEnv("ACME_CA_ROOT", "/etc/sg-test/pebble-minica.pem")
                .withEnv("ACME_EMAIL", "admin@example.test");
        environment.forEach((name, value) -> client.withEnv(name, String.valueOf(value)));
        extraEnvironment.forEach(client::withEnv);
        if (extraHost != null) {
            client.withExtraHost(extraHost, extraHostIp);
        }
        return start(client);
    }

    /**
     * A plain machine at home for a home side set up by hand (wg-quick, a web server): the client-link image with its
     * entrypoint left out, NET_ADMIN and /dev/net/tun, and Pebble's root at /etc/sg-test/pebble-minica.pem.
     */
    GenericContainer<?> startPlainHomeMachine() {
        return start(new GenericContainer<>(image("client-link")).withNetwork(homeNetwork)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sleep", "infinity").getHostConfig()
                        .withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN)
                        .withDevices(com.github.dockerjava.api.model.Device.parse("/dev/net/tun:/dev/net/tun")))
                .withCopyToContainer(Transferable.of(readString(pebbleTlsRoot)), "/etc/sg-test/pebble-minica.pem"));
    }

    /** HTTPS to the gateway NGINX for this name, trusting only Pebble's issuing root; more curl options after. */
    CommandOutput https(String fqdn, String path, String... curlOptions) {
        List<String> args = new ArrayList<>(List.of("-sS", "-m", "5", "--resolve", fqdn + ":443:" + nginxIp(),
                "--cacert", pebbleIssuingRoot.toString()));
        args.addAll(List.of(curlOptions));
        args.add("https://" + fqdn + path);
        return curl(args.toArray(String[]::new));
    }

    /** Plain HTTP to the gateway NGINX: status code and redirect target. */
    CommandOutput http(String fqdn, String path) {
        return curl("-sS", "-m", "5", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--resolve",
                fqdn + ":80:" + nginxIp(), "http://" + fqdn + path);
    }

    void waitForPage(String fqdn, String page, Duration timeout) {
        waitFor(timeout, "https://" + fqdn + "/ to serve '" + page + "'",
                () -> https(fqdn, "/").output().contains(page));
    }

    public void waitForState(String linkId, String state, Duration timeout) {
        waitFor(timeout, "link " + linkId + " to be " + state,
                () -> state.equals(api().get("/links/" + linkId).json().get("state").asString()));
    }

    /** Pebble's DNS server (challtestsrv), which answers every name with NGINX's address unless told otherwise. */
    String dnsServer() {
        return ip(pebble, gatewayNetworkName) + ":8053";
    }

    /** Makes the test's DNS answer this name's A query with this address only. */
    void pointDnsAt(String fqdn, String address) {
        CommandOutput added = curl("-fsS", "-X", "POST", "-d", "{\"host\":\"" + fqdn + ".\",\"addresses\":[\""
                + address + "\"]}", "http://" + ip(pebble, gatewayNetworkName) + ":8055/add-a");
        if (added.exitCode() != 0) {
            throw new IllegalStateException("challtestsrv refused the record: " + added.output());
        }
    }

    /** A command run on the gateway NGINX's own loopback: in a throwaway test-demo container in its network. */
    CommandOutput onNginxLoopback(String... command) {
        List<String> args = new ArrayList<>(List.of("docker", "run", "--rm", "--label", TEST_LABEL + "=true",
                "--network", "container:" + nginx.getContainerId(), TestImages.image("test-demo")));
        args.addAll(List.of(command));
        return run(Duration.ofSeconds(60), args);
    }

    /** NGINX's address now: a container that the engine restarted may have a new one. */
    String nginxIp() {
        return docker.inspectContainerCmd(nginx.getContainerId()).exec().getNetworkSettings().getNetworks()
                .get(gatewayNetworkName).getIpAddress();
    }

    /** The gateway's containers as the engine has them now: NGINX and every link container. */
    List<com.github.dockerjava.api.command.InspectContainerResponse> gatewayContainers() {
        List<com.github.dockerjava.api.command.InspectContainerResponse> found = new ArrayList<>();
        found.add(docker.inspectContainerCmd(nginx.getContainerId()).exec());
        docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.selfhosted-gateway.gateway", gatewayId())).exec()
                .forEach(container -> found.add(docker.inspectContainerCmd(container.getId()).exec()));
        return found;
    }

    /** A container this fixture started (a client link, say) as the engine has it now. */
    com.github.dockerjava.api.command.InspectContainerResponse inspect(GenericContainer<?> container) {
        return docker.inspectContainerCmd(container.getContainerId()).exec();
    }

    GenericContainer<?> nginx() {
        return nginx;
    }

    /** The control plane's per-link state directories (GATEWAY_LINK_STATE_DIR: the default, under its data dir). */
    Path linkStateDir() {
        return gateway.dataDir().resolve("link-state");
    }

    Path linksMap() {
        return gateway.linksDir().resolve("links.map");
    }

    /** The network where home-side containers (apps, client links) run, Pebble among them as {@code pebble}. */
    String homeNetworkName() {
        return docker.inspectNetworkCmd().withNetworkId(homeNetwork.getId()).exec().getName();
    }

    /** The root of Pebble's own HTTPS listener (its ACME directory), for a client's ACME_CA_ROOT. */
    Path pebbleTlsRoot() {
        return pebbleTlsRoot;
    }

    /** The link's gateway container as the engine has it, or null. */
    com.github.dockerjava.api.command.InspectContainerResponse linkContainer(String linkId) {
        try {
            return docker.inspectContainerCmd("sg-link-" + linkId).exec();
        }
        catch (NotFoundException e) {
            return null;
        }
    }

    void stopBehindTheGatewaysBack(String linkId) {
        docker.stopContainerCmd("sg-link-" + linkId).withTimeout(2).exec();
    }

    void removeBehindTheGatewaysBack(String linkId) {
        docker.removeContainerCmd("sg-link-" + linkId).withForce(true).exec();
    }

    public static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        TestGateway.waitFor(timeout, what, condition);
    }

    static CommandOutput curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl"));
        command.addAll(List.of(args));
        return run(Duration.ofSeconds(30), command);
    }

    /** Runs a host command (curl, docker, a script) to its end; a command that outlives the timeout is killed. */
    public static CommandOutput run(Duration timeout, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new CommandOutput(-1, command.get(0) + " timed out");
            }
            return new CommandOutput(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is needed on the test host", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record CommandOutput(int exitCode, String output) {
    }

    @Override
    public void close() {
        gateway.close();
    }

    private <T extends GenericContainer<?>> T start(T container) {
        return gateway.start(container);
    }

    private static DockerImageName image(String name) {
        return DockerImageName.parse(TestImages.image(name));
    }

    private static String ip(GenericContainer<?> container, String network) {
        return container.getContainerInfo().getNetworkSettings().getNetworks().get(network).getIpAddress();
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
