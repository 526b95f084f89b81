package org.selfhostedgateway.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.agent.ContainerLabels.Wish;
import org.selfhostedgateway.docker.HomeContainers.LabelledContainer;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user's labels ask for, and the reason they read when a label cannot be used. */
class ContainerLabelsTests {

    private static final String ID = "0123456789abcdef0123456789abcdef";

    @Test
    void theFqdnAloneIsEnoughWhenTheContainerExposesOnePortOnOneNetwork() {
        Wish wish = ContainerLabels.read(container("home_app_1", Map.of("selfhosted-gateway.fqdn", " App.Example.COM "),
                List.of("home_default"), Set.of(80)));

        assertThat(wish.refused()).isFalse();
        assertThat(wish.fqdn()).isEqualTo("app.example.com");
        assertThat(wish.expose()).as("compose's container name, which Docker's DNS answers").isEqualTo(
                "home_app_1:80");
        assertThat(wish.network()).isEqualTo("home_default");
    }

    @Test
    void thePortLabelChoosesAmongSeveralExposedPortsAndMustBeAPort() {
        Map<String, String> noPort = Map.of("selfhosted-gateway.fqdn", "app.example.com");
        assertThat(ContainerLabels.read(container("app", noPort, List.of("net"), Set.of(80, 443))).refusal())
                .contains("several TCP ports [80, 443]").contains("selfhosted-gateway.port");
        assertThat(ContainerLabels.read(container("app", noPort, List.of("net"), Set.of())).refusal())
                .contains("no TCP port");

        assertThat(ContainerLabels.read(container("app", Map.of("selfhosted-gateway.fqdn", "app.example.com",
                "selfhosted-gateway.port", "443"), List.of("net"), Set.of(80, 443))).expose()).isEqualTo("app:443");
        for (String bad : List.of("0", "65536", "70000", "80/tcp", "http", "-1")) {
            Wish wish = ContainerLabels.read(container("app", Map.of("selfhosted-gateway.fqdn", "app.example.com",
                    "selfhosted-gateway.port", bad), List.of("net"), Set.of(80)));
            assertThat(wish.refusal()).as(bad).isEqualTo(
                    "selfhosted-gateway.port=" + bad + " is not a port from 1 to 65535");
            assertThat(wish.fqdn()).as("a link already made for the name is held, not dropped for a typo")
                    .isEqualTo("app.example.com");
        }
    }

    @Test
    void theNetworkMustBeOneWhereTheClientLinkCanFindTheContainerByName() {
        Map<String, String> labels = Map.of("selfhosted-gateway.fqdn", "app.example.com");
        assertThat(ContainerLabels.read(container("app", labels, List.of(), Set.of(80))).refusal())
                .contains("no user-defined network").contains("default bridge");
        assertThat(ContainerLabels.read(container("app", labels, List.of("back", "front"), Set.of(80))).refusal())
                .contains("several networks [back, front]").contains("selfhosted-gateway.network");

        Map<String, String> front = Map.of("selfhosted-gateway.fqdn", "app.example.com",
                "selfhosted-gateway.network", "front");
        assertThat(ContainerLabels.read(container("app", front, List.of("back", "front"), Set.of(80))).network())
                .isEqualTo("front");
        assertThat(ContainerLabels.read(container("app", front, List.of("back"), Set.of(80))).refusal())
                .isEqualTo("selfhosted-gateway.network=front is not a network this container is on [back]");
    }

    @Test
    void aNameTheGatewayWouldRefuseAsAHostFallsBackToTheContainersId() {
        Wish wish = ContainerLabels.read(container("my..app", Map.of("selfhosted-gateway.fqdn", "app.example.com"),
                List.of("net"), Set.of(80)));

        assertThat(wish.expose()).isEqualTo("0123456789ab:80");
    }

    @Test
    void anEmptyFqdnIsRefusedAndHoldsNothing() {
        Wish wish = ContainerLabels.read(container("app", Map.of("selfhosted-gateway.fqdn", " "), List.of("net"),
                Set.of(80)));

        assertThat(wish.refusal()).isEqualTo("the label selfhosted-gateway.fqdn is empty");
        assertThat(wish.fqdn()).isNull();
    }

    @Test
    void thePortsLabelPublishesRawPortsToThisContainer() {
        Wish wish = ContainerLabels.read(container("games", Map.of("selfhosted-gateway.fqdn", "games.example.com",
                "selfhosted-gateway.ports", " tcp:25565/proxy-v2, udp:50100-50199=40100  TCP:2222=22,udp:27015-27015"),
                List.of("net"), Set.of(80)));

        assertThat(wish.refused()).isFalse();
        assertThat(wish.ports()).extracting(port -> port.getProtocol().getValue() + " " + port.getPublicPort() + "-"
                + port.getPublicPortEnd() + " " + port.getTarget() + " " + port.getProxyProtocol())
                .containsExactly("tcp 25565-null games:25565 v2", "udp 50100-50199 games:40100 null",
                        "tcp 2222-null games:22 null", "udp 27015-null games:27015 null");
        assertThat(ContainerLabels.read(container("web", Map.of("selfhosted-gateway.fqdn", "web.example.com"),
                List.of("net"), Set.of(80))).ports()).as("no label, no raw ports").isEmpty();
    }

    @Test
    void theAliasesLabelAddsNamesInOrderAndTheGatewayJudgesThem() {
        Wish wish = ContainerLabels.read(container("web", Map.of("selfhosted-gateway.fqdn", "web.example.com",
                "selfhosted-gateway.aliases", " WWW.example.com, old.example.com  blog.example.com"), List.of("net"),
                Set.of(80)));

        assertThat(wish.aliases()).containsExactly("www.example.com", "old.example.com", "blog.example.com");
        assertThat(ContainerLabels.read(container("web", Map.of("selfhosted-gateway.fqdn", "web.example.com"),
                List.of("net"), Set.of(80))).aliases()).isEmpty();
    }

    @Test
    void accessLabelsGiveNetworksAndUsersWithTheirHashes() {
        Wish wish = ContainerLabels.read(container("web", Map.of("selfhosted-gateway.fqdn", "web.example.com",
                "selfhosted-gateway.allow", "203.0.113.0/24, 2001:DB8::/32", "selfhosted-gateway.deny", "203.0.113.66",
                "selfhosted-gateway.basic-auth", "alice:$2y$05$abc bob:$2y$05$def"), List.of("net"), Set.of(80)));

        assertThat(wish.access().allow()).containsExactly("203.0.113.0/24", "2001:db8::/32");
        assertThat(wish.access().deny()).containsExactly("203.0.113.66");
        assertThat(wish.access().users()).containsExactly(Map.entry("alice", "$2y$05$abc"),
                Map.entry("bob", "$2y$05$def"));
        assertThat(ContainerLabels.read(container("web", Map.of("selfhosted-gateway.fqdn", "web.example.com"),
                List.of("net"), Set.of(80))).access().none()).isTrue();

        Wish noHash = ContainerLabels.read(container("web", Map.of("selfhosted-gateway.fqdn", "web.example.com",
                "selfhosted-gateway.basic-auth", "alice"), List.of("net"), Set.of(80)));
        assertThat(noHash.refusal()).isEqualTo("selfhosted-gateway.basic-auth: 'alice' is not name:bcrypt-hash, as "
                + "htpasswd -nbB name password prints it");
        assertThat(ContainerLabels.read(container("web", Map.of("selfhosted-gateway.fqdn", "web.example.com",
                "selfhosted-gateway.basic-auth", "alice:"), List.of("net"), Set.of(80))).refusal())
                .as("a name without its hash").contains("'alice:...'");
    }

    @Test
    void aBadPortsEntryIsRefusedByNameAndHoldsTheLink() {
        Map<String, String> expected = Map.of(
                "tcp:70000", "'tcp:70000' names port 70000, not a port from 1 to 65535",
                "sctp:80", "'sctp:80' is not an entry such as tcp:25565",
                "udp:200-100", "'udp:200-100' is a range that ends before it starts",
                "udp:65000-65010=65530", "'udp:65000-65010=65530' would go past the container's port 65535",
                "tcp:25565/proxy-v3", "'tcp:25565/proxy-v3' is not an entry",
                "tcp:0", "'tcp:0' names port 0");
        expected.forEach((label, reason) -> {
            Wish wish = ContainerLabels.read(container("games", Map.of("selfhosted-gateway.fqdn", "games.example.com",
                    "selfhosted-gateway.ports", "tcp:22 " + label), List.of("net"), Set.of(80)));
            assertThat(wish.refusal()).as(label).startsWith("selfhosted-gateway.ports: ").contains(reason);
            assertThat(wish.fqdn()).as("a link already made for the name is held").isEqualTo("games.example.com");
        });
        String tooMany = String.join(" ", java.util.Collections.nCopies(101, "tcp:22"));
        assertThat(ContainerLabels.read(container("games", Map.of("selfhosted-gateway.fqdn", "games.example.com",
                "selfhosted-gateway.ports", tooMany), List.of("net"), Set.of(80))).refusal())
                .contains("101 entries; at most 100");
    }

    private static LabelledContainer container(String name, Map<String, String> labels, List<String> networks,
            Set<Integer> ports) {
        return new LabelledContainer(ID, name, Instant.EPOCH, "running", labels, networks,
                new java.util.TreeSet<>(ports));
    }
}
