package org.selfhostedgateway.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** {@link HomeContainers} on docker-java: one client, every call mapped to "the engine does not answer" or not. */
class DockerHomeContainers implements HomeContainers {

    /** Docker's own networks, where containers cannot find each other by name (or have no network at all). */
    private static final Set<String> NOT_USER_NETWORKS = Set.of("bridge", "host", "none");

    private final DockerClient docker;
    private final String host;

    DockerHomeContainers(DockerClient docker, String host) {
        this.docker = docker;
        this.host = host;
    }

    @Override
    public List<LabelledContainer> withLabel(String label) {
        return call(() -> {
            List<LabelledContainer> found = new ArrayList<>();
            for (Container container : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(label)).exec()) {
                try {
                    found.add(labelled(docker.inspectContainerCmd(container.getId()).exec()));
                }
                catch (NotFoundException gone) {
                    // removed between the list and the inspect: the next event brings a new pass
                }
            }
            return found;
        });
    }

    private static LabelledContainer labelled(InspectContainerResponse container) {
        Set<Integer> tcpPorts = new TreeSet<>();
        ExposedPort[] exposed = container.getConfig().getExposedPorts();
        if (exposed != null) {
            for (ExposedPort port : exposed) {
                if (port.getProtocol() == InternetProtocol.TCP) {
                    tcpPorts.add(port.getPort());
                }
            }
        }
        List<String> networks = new ArrayList<>();
        if (container.getNetworkSettings() != null && container.getNetworkSettings().getNetworks() != null) {
            container.getNetworkSettings().getNetworks().keySet().stream()
                    .filter(name -> !NOT_USER_NETWORKS.contains(name)).sorted().forEach(networks::add);
        }
        Map<String, String> labels = container.getConfig().getLabels();
        return new LabelledContainer(container.getId(), container.getName().replaceFirst("^/", ""),
                Instant.parse(container.getCreated()), container.getState().getStatus(),
                labels == null ? Map.of() : labels, networks, tcpPorts);
    }

    @Override
    public List<ClientLinkContainer> clientLinks(String agentId) {
        return call(() -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_AGENT, agentId)).exec().stream()
                .map(container -> new ClientLinkContainer(container.getId(),
                        container.getNames().length == 0 ? container.getId()
                                : container.getNames()[0].replaceFirst("^/", ""),
                        container.getLabels().get(LABEL_LINK_ID), container.getLabels().get(LABEL_FQDN),
                        container.getLabels().get(LABEL_CONFIG), container.getState()))
                .toList());
    }

    @Override
    public void runClientLink(ClientLinkSpec spec) {
        call(() -> {
            remove(spec.name());
            ensureVolume(spec);
            List<String> environment = new ArrayList<>();
            spec.environment().forEach((name, value) -> environment.add(name + "=" + value));
            String id = docker.createContainerCmd(spec.image()).withName(spec.name()).withEnv(environment)
                    .withLabels(spec.labels())
                    .withHostConfig(HostConfig.newHostConfig()
                            .withCapAdd(spec.capabilities().stream().map(Capability::valueOf)
                                    .toArray(Capability[]::new))
                            .withDevices(spec.devices().stream().map(Device::parse).toList())
                            .withSysctls(spec.sysctls())
                            .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                            .withBinds(new Bind(spec.volume(), new Volume("/data")))
                            .withNetworkMode(spec.network()))
                    .exec().getId();
            if (!spec.files().isEmpty()) {
                docker.copyArchiveToContainerCmd(id).withRemotePath("/")
                        .withTarInputStream(new ByteArrayInputStream(tar(spec.files()))).exec();
            }
            docker.startContainerCmd(id).exec();
            return null;
        });
    }

    /** Certificates outlive the container (and a new link for the same name): Caddy keeps them in this volume. */
    private void ensureVolume(ClientLinkSpec spec) {
        try {
            docker.inspectVolumeCmd(spec.volume()).exec();
        }
        catch (NotFoundException missing) {
            Map<String, String> labels = new HashMap<>(spec.labels());
            labels.remove(LABEL_LINK_ID);
            labels.remove(LABEL_CONFIG);
            docker.createVolumeCmd().withName(spec.volume()).withLabels(labels).exec();
        }
    }

    /** Files as a tar archive; each file's directories are made readable, keys (0600) are root's only. */
    private static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            Set<String> directories = new TreeSet<>();
            for (String path : files.keySet()) {
                String relative = path.replaceFirst("^/+", "");
                for (int slash = relative.indexOf('/'); slash > 0; slash = relative.indexOf('/', slash + 1)) {
                    directories.add(relative.substring(0, slash + 1));
                }
            }
            for (String directory : directories) {
                TarArchiveEntry entry = new TarArchiveEntry(directory);
                entry.setMode(040755);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey().replaceFirst("^/+", ""));
                entry.setSize(file.getValue().length);
                entry.setMode(file.getKey().endsWith(".key") ? 0100600 : 0100644);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void start(String containerId) {
        call(() -> {
            try {
                docker.startContainerCmd(containerId).exec();
            }
            catch (NotModifiedException alreadyRunning) {
                // started meanwhile
            }
            return null;
        });
    }

    @Override
    public void remove(String containerId) {
        call(() -> {
            try {
                docker.removeContainerCmd(containerId).withForce(true).exec();
            }
            catch (NotFoundException alreadyGone) {
                // nothing to do
            }
            return null;
        });
    }

    @Override
    public AutoCloseable followContainerEvents(Runnable changed, Consumer<Throwable> ended) {
        return call(() -> docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER)
                .withEventFilter("create", "start", "die", "destroy", "rename")
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        changed.run();
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended.accept(error);
                    }

                    @Override
                    public void onComplete() {
                        ended.accept(new IllegalStateException("the engine closed the event stream"));
                    }
                }));
    }

    @Override
    public void close() {
        try {
            docker.close();
        }
        catch (IOException ignored) {
            // closing on the way out
        }
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (DockerException e) {
            throw e;
        }
        catch (RuntimeException e) {
            if (DockerEngine.isConnectionFailure(e)) {
                throw new DockerUnavailableException(host, e);
            }
            throw e;
        }
    }
}
