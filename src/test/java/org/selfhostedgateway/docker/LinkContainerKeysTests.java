package org.selfhostedgateway.docker;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.docker.LinkContainers.LinkContainer;
import org.selfhostedgateway.link.LinkDeployment;
import org.selfhostedgateway.link.LinkState;

import static org.assertj.core.api.Assertions.assertThat;

/** A link container made for other keys than its link has now must be replaced: that is when old keys stop working. */
class LinkContainerKeysTests {

    private static final String OLD_KEY = "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=";
    private static final String NEW_KEY = "yqSzwJUb1aWDdfRkWb1KFNevASbEaoo1HP7auQ4sTws=";

    @Test
    void aContainerLabelledWithOtherKeysIsNotMadeForTheLink() {
        LinkDeployment rotated = deployment(NEW_KEY);

        assertThat(new LinkContainer("l1", "c1", true, "running", "", OLD_KEY).madeFor(rotated)).isFalse();
        assertThat(new LinkContainer("l1", "c1", true, "running", "", NEW_KEY).madeFor(rotated)).isTrue();
        assertThat(new LinkContainer("l1", "c1", true, "running", "tcp:25565", NEW_KEY).madeFor(rotated))
                .as("other ports still count").isFalse();
    }

    @Test
    void aContainerFromBeforeKeyLabelsIsLeftRunningByTheSweep() {
        // Replaced at its link's next change (DockerLinkContainers.deploy compares the label), not all at once.
        assertThat(new LinkContainer("l1", "c1", true, "running", "").madeFor(deployment(NEW_KEY))).isTrue();
    }

    @Test
    void theDeploymentNeverShowsThePrivateKey() {
        assertThat(deployment(NEW_KEY).toString()).doesNotContain("private-key-material");
    }

    private static LinkDeployment deployment(String gatewayPublicKey) {
        return new LinkDeployment("l1", "app.example.com", 51820, "private-key-material", OLD_KEY, LinkState.ACTIVE,
                null, List.of(), gatewayPublicKey);
    }
}
