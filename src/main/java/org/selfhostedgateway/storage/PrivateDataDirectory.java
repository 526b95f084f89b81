package org.selfhostedgateway.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The data directory holds token hashes, encrypted keys and the audit log: only the gateway's user may read it. The
 * directory is made 0700 before the database opens (so a file H2 creates is never reachable by others), and every
 * file in it 0600, including files left by an older version, once at start and again when the gateway is ready.
 */
@Component
class PrivateDataDirectory implements BeanPostProcessor, ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(PrivateDataDirectory.class);
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private final Environment environment;
    private boolean prepared;

    PrivateDataDirectory(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource && !prepared) {
            makePrivate();
            prepared = true;
        }
        return bean;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        makePrivate();
    }

    void makePrivate() {
        Path dir = Binder.get(environment).bind("gateway.data.dir", Path.class).orElse(Path.of("./data"))
                .toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dir, e);
        }
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
            log.warn("The data directory {} has no POSIX permissions; keep it private by other means", dir);
            return;
        }
        restrict(dir, OWNER_DIRECTORY);
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(file -> restrict(file, OWNER_FILE));
        }
        catch (IOException e) {
            log.warn("Cannot list the data directory {} to make its files private: {}", dir, e.toString());
        }
    }

    /** A mode that cannot be set (a mount owned by someone else) is worth a warning, not a refusal to start. */
    private static void restrict(Path path, Set<PosixFilePermission> mode) {
        try {
            Files.setPosixFilePermissions(path, mode);
        }
        catch (IOException | UnsupportedOperationException e) {
            log.warn("Cannot make {} private ({}): {}; keep it private by other means", path,
                    PosixFilePermissions.toString(mode), e.toString());
        }
    }
}
