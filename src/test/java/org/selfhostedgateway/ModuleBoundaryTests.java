package org.selfhostedgateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Boundaries between features that the code relies on, checked on the sources. */
class ModuleBoundaryTests {

    private static final Path MAIN = Path.of("src/main/java/org/selfhostedgateway");

    @Test
    void dockerJavaTypesStayInsideTheDockerPackage() throws IOException {
        assertThat(filesOutside("docker").stream().filter(file -> contains(file, "com.github.dockerjava")))
                .as("only the docker package may use docker-java").isEmpty();
    }

    @Test
    void theLinkEntityNeverLeavesTheLinkPackage() throws IOException {
        assertThat(filesOutside("link").stream().filter(file -> contains(file, "link.Link;")))
                .as("other features use LinkService and its records, never the entity").isEmpty();
    }

    private static List<Path> filesOutside(String feature) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !MAIN.relativize(file).startsWith(feature)).toList();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file).contains(text);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
