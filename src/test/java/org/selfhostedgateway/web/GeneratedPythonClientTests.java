package org.selfhostedgateway.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python client that openapi-generator makes from openapi.yaml (during the build, see pom.xml) drives the running
 * application through its generated methods: src/test/python/drive_generated_client.py. It runs on Debian's Python
 * and packages (scripts/prepare-docker.sh installs them); in CI a missing package fails the test, it is not skipped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratedPythonClientTests {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path CLIENT = Path.of("target/generated-test-sources/python-client");
    private static final Path SCRIPT = Path.of("src/test/python/drive_generated_client.py");
    private static final String DEBIAN_PACKAGES =
            "python3-pydantic python3-urllib3 python3-dateutil python3-typing-extensions";

    @LocalServerPort
    int port;

    @Test
    void theGeneratedPythonClientDrivesTheApi() throws Exception {
        assertThat(CLIENT.resolve("selfhosted_gateway_client/api/links_api.py"))
                .as("the build generates the Python client before the tests").exists();
        Result dependencies = run(PYTHON.toString(), "-c", "import pydantic, urllib3, dateutil, typing_extensions");
        if (dependencies.exitCode() != 0) {
            String missing = "The generated Python client needs /usr/bin/python3 with " + DEBIAN_PACKAGES
                    + " (scripts/prepare-docker.sh installs them): " + dependencies.output();
            assertThat(System.getenv("CI")).as(missing).isNull();
            Assumptions.abort(missing);
        }

        Result drive = run(PYTHON.toString(), SCRIPT.toString());

        assertThat(drive.exitCode()).as(drive.output()).isZero();
        assertThat(drive.output()).contains("all passed");
    }

    private Result run(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", CLIENT.toAbsolutePath().toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().put("GATEWAY_URL", "http://localhost:" + port);
        builder.environment().put("GATEWAY_TOKEN", TestApi.TEST_TOKEN);
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException noPython) {
            return new Result(127, noPython.getMessage());
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out after 120 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
