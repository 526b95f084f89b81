package org.selfhostedgateway.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import org.selfhostedgateway.link.LinkDeployment;
import org.selfhostedgateway.link.PortMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Runs each link's gateway side as one labelled container: WireGuard on the link's UDP port (published on the
 * host), NET_ADMIN and /dev/net/tun for wireguard-go, on the gateway network where NGINX finds it by name.
 */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class DockerLinkContainers implements LinkContainers {

    static final String LABEL_GATEWAY = "io.selfhosted-gateway.gateway";
    static final String LABEL_ROLE = "io.selfhosted-gateway.role";
    static final String LABEL_LINK_ID = "io.selfhosted-gateway.link-id";
    static final String LABEL_FQDN = "io.selfhosted-gateway.fqdn";
    static final String LABEL_UDP_PORT = "io.selfhosted-gateway.udp-port";
    /** The raw ports the container publishes, as its LINK_PORTS: a change of ports means a new container. */
    static final String LABEL_PORTS = "io.selfhosted-gateway.ports";
    /**
     * The gateway public key the container runs with: a key rotation changes it, so the container is replaced and
     * the old keys stop working at once. A public key only; private keys never go into labels.
     */
    static final String LABEL_GATEWAY_PUBLIC_KEY = "io.selfhosted-gateway.gateway-public-key";
    static final String ROLE_GATEWAY_LINK = "gateway-link";

    private static final String WIREGUARD_SOCKET_DIR = "/var/run/wireguard";
    private static final String KEYS_DIR = "/etc/wireguard-link";
    private static final String PEER_ENDPOINT = "peer-endpoint";

    private static final Logger log = LoggerFactory.getLogger(DockerLinkContainers.class);
    /** A health probe must not hold a sweep for long: an exec that takes longer counts as no answer. */
    private static final Duration PEER_EXEC_TIMEOUT = Duration.ofSeconds(5);
    /** A container's last start logs a few lines at most before it fails; more would be an older start's. */
    private static final int LAST_ERROR_LOG_LINES = 20;

    private final DockerEngine engine;
    private final DockerClient docker;
    private final DockerProperties properties;

    DockerLinkContainers(DockerEngine engine) {
        this.engine = engine;
        this.docker = engine.client();
        this.properties = engine.properties();
    }

    @Override
    public void deploy(LinkDeployment link) {
        String name = LinkContainers.containerName(link.linkId());
        engine.run(() -> {
            InspectContainerResponse existing = inspect(name);
            if (existing != null && (!String.valueOf(link.udpPort()).equals(labels(existing).get(LABEL_UDP_PORT))
                    || !link.gatewayPorts().equals(labels(existing).getOrDefault(LABEL_PORTS, ""))
                    || !link.gatewayPublicKey().equals(labels(existing).get(LABEL_GATEWAY_PUBLIC_KEY))
                    || !Boolean.TRUE.equals(existing.getState().getRunning())
                    || Boolean.TRUE.equals(existing.getState().getRestarting()))) {
                // Made for other settings (other keys, an older gateway, a hand edit), or stopped, or crash-looping
                // when this link is deployed again: replace it with a fresh one. A container from before key labels
                // is replaced here too, at its link's first change: a rotation must never leave old keys running.
                forceRemove(existing.getId());
                existing = null;
            }
            if (existing == null) {
                create(link, name);
            }
        });
    }

    @Override
    public void remove(String linkId) {
        engine.run(() -> {
            InspectContainerResponse existing = inspect(LinkContainers.containerName(linkId));
            if (existing != null && properties.gatewayId().equals(labels(existing).get(LABEL_GATEWAY))) {
                forceRemove(existing.getId());
                log.info("Removed the container of link {}", linkId);
            }
            deleteStateDir(linkId);
        });
    }

    @Override
    public Map<String, LinkContainer> list() {
        List<Container> containers = engine.call(() -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_GATEWAY, properties.gatewayId(), LABEL_ROLE, ROLE_GATEWAY_LINK))
                .exec());
        Map<String, LinkContainer> byLink = new HashMap<>();
        for (Container container : containers) {
            String linkId = container.getLabels().get(LABEL_LINK_ID);
            if (linkId != null) {
                byLink.put(linkId, new LinkContainer(linkId, container.getId(), "running".equals(container.getState()),
                        container.getState(), container.getLabels().getOrDefault(LABEL_PORTS, ""),
                        container.getLabels().get(LABEL_GATEWAY_PUBLIC_KEY)));
            }
        }
        return byLink;
    }

    @Override
    public Optional<WireGuardPeer> wireGuardPeer(LinkContainer container) {
        Path socket = wireGuardDir(container.linkId()).resolve("wg0.sock");
        if (Files.exists(socket)) {
            try {
                return WireGuardControlSocket.firstPeer(socket);
            }
            catch (IOException e) {
                log.debug("The WireGuard control socket of link {} did not answer: {}", container.linkId(),
                        e.getMessage());
                return Optional.empty();
            }
        }
        // Kernel WireGuard (no control socket), or a container made before link state directories: ask wg inside.
        // The dump's first line is the interface with its private key: it is cut inside the container and never
        // reaches this process.
        DockerEngine.ExecResult dump = engine.exec(PEER_EXEC_TIMEOUT, container.containerId(), "bash", "-c",
                "set -o pipefail; wg show wg0 dump | tail -n +2");
        if (!dump.success()) {
            return Optional.empty();
        }
        return WireGuardDump.firstPeer(dump.output());
    }

    @Override
    public Optional<String> lastError(String containerId) {
        return engine.call(() -> {
            InspectContainerResponse container;
            try {
                container = docker.inspectContainerCmd(containerId).exec();
            }
            catch (NotFoundException gone) {
                return Optional.empty();
            }
            int since = (int) Instant.parse(container.getState().getStartedAt()).getEpochSecond();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            try {
                docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withSince(since)
                        .withTail(LAST_ERROR_LOG_LINES).exec(new ResultCallback.Adapter<Frame>() {
                            @Override
                            public void onNext(Frame frame) {
                                new String(frame.getPayload(), StandardCharsets.UTF_8).lines()
                                        .map(String::strip).filter(line -> !line.isEmpty()).forEach(lines::add);
                            }
                        }).awaitCompletion(PEER_EXEC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return errorLine(lines);
        });
    }

    static Optional<String> errorLine(List<String> lines) {
        String line = lines.stream().filter(DockerLinkContainers::reportsError).findFirst()
                .orElse(lines.isEmpty() ? null : lines.get(lines.size() - 1));
        if (line == null) {
            return Optional.empty();
        }
        // Printable ASCII only, and short: it is shown as a link's state reason.
        line = line.replaceAll("[^\\x20-\\x7e]", "?");
        return Optional.of(line.length() > 300 ? line.substring(0, 300) + "..." : line);
    }

    private static boolean reportsError(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return lower.contains("error") || lower.contains("fail");
    }

    @Override
    public void recordClientEndpoint(String linkId, String endpoint) {
        Path keys = keysDir(linkId);
        if (!WireGuardDump.isEndpoint(endpoint) || !Files.isDirectory(keys)) {
            return; // a container made before state directories keeps no record here
        }
        try {
            writeFile(keys.resolve(PEER_ENDPOINT), endpoint, "rw-r--r--");
        }
        catch (IOException e) {
            log.warn("Could not record the client endpoint of link {}: {}", linkId, e.getMessage());
        }
    }

    private Path keysDir(String linkId) {
        return properties.linkStateDir().resolve(linkId).resolve("keys");
    }

    /** Where the link container's WireGuard puts its control socket (bind-mounted at /var/run/wireguard). */
    private Path wireGuardDir(String linkId) {
        return properties.linkStateDir().resolve(linkId).resolve("wireguard");
    }

    private void deleteStateDir(String linkId) {
        Path dir = properties.linkStateDir().resolve(linkId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
        catch (IOException e) {
            log.warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }

    private void create(LinkDeployment link, String name) {
        ensureNetwork();
        Path wireGuardDir = wireGuardDir(link.linkId());
        Path keysDir = keysDir(link.linkId());
        try {
            Files.createDirectories(wireGuardDir);
            writeKeys(keysDir, link);
        }
        catch (IOException | UnsupportedOperationException e) {
            throw new LinkContainerException("Cannot write the link's state directory " + wireGuardDir.getParent()
                    + " (" + e.getMessage() + "): check GATEWAY_LINK_STATE_DIR", e);
        }
        ExposedPort udp = ExposedPort.udp(link.udpPort());
        List<ExposedPort> exposed = new ArrayList<>(List.of(udp));
        List<PortBinding> bindings = new ArrayList<>(List.of(new PortBinding(Ports.Binding.bindPort(link.udpPort()),
                udp)));
        // Each raw port on the same host port. With Docker's userland proxy each costs two processes on the host;
        // an engine with "userland-proxy": false forwards them in the kernel (README, "Raw TCP and UDP ports").
        for (PortMapping port : link.ports()) {
            for (int number = port.publicPort(); number <= port.lastPublicPort(); number++) {
                ExposedPort raw = "udp".equals(port.protocol()) ? ExposedPort.udp(number) : ExposedPort.tcp(number);
                exposed.add(raw);
                bindings.add(new PortBinding(Ports.Binding.bindPort(number), raw));
            }
        }
        Map<String, String> labels = Map.of(LABEL_GATEWAY, properties.gatewayId(), LABEL_ROLE, ROLE_GATEWAY_LINK,
                LABEL_LINK_ID, link.linkId(), LABEL_FQDN, link.fqdn(), LABEL_UDP_PORT,
                String.valueOf(link.udpPort()), LABEL_PORTS, link.gatewayPorts(), LABEL_GATEWAY_PUBLIC_KEY,
                link.gatewayPublicKey());
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(properties.network())
                .withBinds(new Bind(wireGuardDir.toString(), new Volume(WIREGUARD_SOCKET_DIR)),
                        new Bind(keysDir.toString(), new Volume(KEYS_DIR), AccessMode.ro))
                .withPortBindings(bindings)
                .withCapAdd(Capability.NET_ADMIN)
                .withDevices(new Device("rwm", "/dev/net/tun", "/dev/net/tun"))
                .withSysctls(Map.of("net.ipv4.ip_forward", "1"))
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", "1m", "max-file", "2")));
        String id;
        try {
            id = docker.createContainerCmd(properties.linkImage()).withName(name).withLabels(labels)
                    .withEnv("LINK_UDP_PORT=" + link.udpPort(), "LINK_PORTS=" + link.gatewayPorts())
                    .withExposedPorts(exposed).withHostConfig(host).exec()
                    .getId();
        }
        catch (NotFoundException e) {
            throw new LinkContainerException("The image " + properties.linkImage() + " is not on this Docker "
                    + "engine: build it (scripts/prepare-docker.sh) or set GATEWAY_LINK_IMAGE", e);
        }
        catch (ConflictException e) {
            // Another deploy made it between our inspect and create: it is there, which is what we want.
            log.debug("Container {} already exists", name);
            return;
        }
        start(link, id);
        log.info("Started the container of link {} ({}) on UDP port {}", link.linkId(), link.fqdn(),
                link.udpPort());
    }

    private void start(LinkDeployment link, String containerId) {
        try {
            docker.startContainerCmd(containerId).exec();
        }
        catch (NotModifiedException alreadyRunning) {
            // started by someone else meanwhile
        }
        catch (DockerException e) {
            forceRemove(containerId); // leave nothing half-made; the next reconcile tries again
            throw new LinkContainerException("The container of " + link.fqdn() + " did not start: "
                    + e.getMessage().trim(), e);
        }
    }

    private void ensureNetwork() {
        try {
            docker.inspectNetworkCmd().withNetworkId(properties.network()).exec();
        }
        catch (NotFoundException e) {
            docker.createNetworkCmd().withName(properties.network()).withDriver("bridge")
                    .withLabels(Map.of(LABEL_GATEWAY, properties.gatewayId())).exec();
            log.info("Created the Docker network {}", properties.network());
        }
    }

    private InspectContainerResponse inspect(String name) {
        try {
            return docker.inspectContainerCmd(name).exec();
        }
        catch (NotFoundException e) {
            return null;
        }
    }

    private void forceRemove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        }
        catch (NotFoundException alreadyGone) {
            // removing twice is fine
        }
        catch (ConflictException inProgress) {
            log.debug("Removal of {} already in progress", containerId);
        }
    }

    private static Map<String, String> labels(InspectContainerResponse container) {
        Map<String, String> labels = container.getConfig().getLabels();
        return labels == null ? Map.of() : labels;
    }

    /**
     * The link's keys as files in its state directory, mounted read-only into the container: the engine delivers them
     * with the container, they never show in its environment or in docker inspect, and no copy into it is needed.
     * Only root reads the private key (0600 in a 0700 directory).
     */
    private static void writeKeys(Path keys, LinkDeployment link) throws IOException {
        Files.createDirectories(keys);
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
        writeFile(keys.resolve("private-key"), link.gatewayPrivateKey(), "rw-------");
        writeFile(keys.resolve("peer-public-key"), link.clientPublicKey(), "rw-r--r--");
        Path endpoint = keys.resolve(PEER_ENDPOINT);
        if (link.clientEndpoint() != null && WireGuardDump.isEndpoint(link.clientEndpoint())) {
            // Where the client was last seen: the new container greets it first instead of waiting for the
            // client's next handshake (images/README.md).
            writeFile(endpoint, link.clientEndpoint(), "rw-r--r--");
        }
        else {
            Files.deleteIfExists(endpoint);
        }
    }

    private static void writeFile(Path file, String content, String permissions) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, content + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(permissions));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }
}
