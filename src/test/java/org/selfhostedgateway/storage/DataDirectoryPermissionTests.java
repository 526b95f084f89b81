package org.selfhostedgateway.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database and everything else in the data directory is readable by the gateway's user only, also when the
 * directory and its files were made with looser modes before (by an older version, or by hand).
 */
@SpringBootTest
class DataDirectoryPermissionTests {

    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "selfhosted-gateway-tests",
            "permissions-" + UUID.randomUUID());

    @DynamicPropertySource
    static void looseDataDirectory(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(DIR);
        Files.setPosixFilePermissions(DIR, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path old = Files.writeString(DIR.resolve("left-by-an-older-version.txt"), "secret");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        registry.add("gateway.data.dir", DIR::toString);
    }

    @Test
    void theDataDirectoryIs0700AndItsFiles0600() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DIR))).isEqualTo("rwx------");
        assertThat(DIR.resolve("gateway.mv.db")).exists();
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                        .isEqualTo("rw-------");
            }
        }
    }
}
