package org.selfhostedgateway.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Small secrets that the gateway creates once and keeps in its data directory, readable by the owner only.
 */
@Component
public class SecretFiles {

    private final Path dataDir;

    SecretFiles(DataProperties properties) {
        this.dataDir = properties.dir().toAbsolutePath().normalize();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The secret stored in {@code name}, or a new one from {@code generator}, written with mode 0600. */
    public Secret readOrCreate(String name, Supplier<String> generator) {
        Path file = dataDir.resolve(name);
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                return new Secret(Files.readString(file, StandardCharsets.UTF_8).trim(), false, file);
            }
            String value = generator.get();
            // Create with owner-only permissions from the first byte on, so the secret is never world-readable.
            Path temp = Files.createTempFile(dataDir, "." + name, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.createLink(file, temp);
            }
            catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(temp);
                return new Secret(Files.readString(file, StandardCharsets.UTF_8).trim(), false, file);
            }
            Files.deleteIfExists(temp);
            return new Secret(value, true, file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the secret file " + file, e);
        }
    }

    /** A secret's value, whether this call created it, and where it lives. */
    public record Secret(String value, boolean created, Path file) {

        @Override
        public String toString() {
            return "Secret[file=" + file + "]";
        }
    }
}
