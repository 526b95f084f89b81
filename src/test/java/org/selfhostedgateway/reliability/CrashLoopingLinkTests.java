package org.selfhostedgateway.reliability;

import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestImages;
import org.testcontainers.images.builder.ImageFromDockerfile;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A link whose container starts and then fails, again and again, is shown FAILED with the container's own error,
 * instead of a normal link: here a gateway-link image whose settings it refuses (an impossible tunnel MTU).
 */
class CrashLoopingLinkTests {

    /** Made by the test, removed with everything it started after it. */
    @AutoClose
    private GatewayFixture gateway;

    @Test
    void aLinkWhoseContainerKeepsFailingIsFailedWithTheContainersLastError() throws Exception {
        String failingImage = new ImageFromDockerfile("selfhosted-gateway/test-failing-link:" + TestImages.TAG, false)
                .withDockerfileFromBuilder(dockerfile -> dockerfile.from(TestImages.image("gateway-link"))
                        .env("LINK_MTU", "1").label("io.selfhosted-gateway.test", "true").build())
                .get();
        gateway = new GatewayFixture(46300, 46309);
        TestApi api = gateway.startInJvm("--gateway.docker.link-image=" + failingImage);

        JsonNode created = api.createLink("loop.crash.example.test", "app:80").json();
        String id = created.get("id").asString();

        GatewayFixture.await(Duration.ofSeconds(90), "the crash-looping link to be FAILED", () -> {
            JsonNode link = api.get("/links/" + id).json();
            return "FAILED".equals(link.get("state").asString()) ? null : link.get("state") + " " + link.get(
                    "stateReason");
        });
        JsonNode link = api.get("/links/" + id).json();
        assertThat(link.get("stateReason").asString())
                .startsWith("Its container keeps restarting")
                .contains("LINK_MTU must be a number between 1280 and 9000");
        // Docker keeps retrying it; the gateway does not replace it with copies that fail the same way.
        assertThat(gateway.linkContainers()).hasSize(1);
    }
}
