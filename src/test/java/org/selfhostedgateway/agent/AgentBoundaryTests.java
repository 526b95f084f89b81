package org.selfhostedgateway.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent reaches the gateway only through the client generated from openapi.yaml (so the contract and the agent
 * cannot drift apart) and the engine only through the docker package's HomeContainers; it runs without Spring.
 */
class AgentBoundaryTests {

    private static final Path AGENT = Path.of("src/main/java/org/selfhostedgateway/agent");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> ALLOWED = List.of("org.selfhostedgateway.agent.",
            "org.selfhostedgateway.client.", "org.selfhostedgateway.docker.HomeContainers",
            "org.selfhostedgateway.docker.DockerUnavailableException");

    @Test
    void theAgentUsesTheGeneratedClientAndHomeContainersOnlyAndNoSpring() throws IOException {
        List<String> imports;
        try (Stream<Path> files = Files.list(AGENT)) {
            imports = files.filter(file -> file.toString().endsWith(".java")).flatMap(file -> {
                Matcher matcher = IMPORT.matcher(read(file));
                return matcher.results().map(result -> file.getFileName() + ": " + result.group(1));
            }).toList();
        }

        assertThat(imports).as("the agent's imports").isNotEmpty();
        assertThat(imports).filteredOn(line -> line.contains(" org.selfhostedgateway."))
                .allMatch(line -> ALLOWED.stream().anyMatch(allowed -> line.contains(" " + allowed)),
                        "is the generated client, HomeContainers or the agent's own");
        assertThat(imports).noneMatch(line -> line.contains(" org.springframework."));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
