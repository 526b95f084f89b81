package org.selfhostedgateway.link;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Raw ports through the API, without a data plane: what is stored, shown, refused and freed. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gateway.ports.first=51820", "gateway.ports.last=52819", "gateway.ports.range-max=100"})
class RawPortsApiTests {

    @LocalServerPort
    int port;

    @Autowired
    LinkRepository links;

    @Test
    void portsAreStoredShownInTheListAndCarriedByTheSnippet() {
        TestApi api = new TestApi(port);
        Reply created = create("shown.example.com", """
                {"protocol": "tcp", "publicPort": 25565, "target": "minecraft:25565"},
                {"protocol": "udp", "publicPort": 50100, "publicPortEnd": 50199, "target": "turn:50100"},
                {"protocol": "tcp", "publicPort": 2525, "target": "mail:25", "proxyProtocol": "v2"}""");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode listed = api.get("/links?fqdn=shown.example.com").json().get(0);
        assertThat(listed.get("ports")).hasSize(3);
        assertThat(listed.get("ports").get(1).get("publicPortEnd").asInt()).isEqualTo(50199);
        assertThat(listed.get("ports").get(2).get("proxyProtocol").asString()).isEqualTo("v2");
        assertThat(api.get("/links/" + id(created) + "/compose").body())
                .contains("LINK_PORTS: tcp:25565=minecraft:25565 udp:50100-50199=turn:50100 tcp:2525=mail:25");
        api.delete("/links/" + id(created));
    }

    @Test
    void aLinkWithoutPortsShowsAnEmptyListAndNoLinkPortsInItsSnippet() {
        TestApi api = new TestApi(port);
        Reply created = api.createLink("plain.example.com", "app:80");
        assertThat(created.json().get("ports")).isEmpty();
        assertThat(created.json().get("compose").asString()).doesNotContain("LINK_PORTS");
        api.delete("/links/" + id(created));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"protocol\": \"sctp\", \"publicPort\": 3000, \"target\": \"a:1\"}           | ports[0].protocol",
            "{\"protocol\": \"tcp\", \"publicPort\": 0, \"target\": \"a:1\"}               | ports[0].publicPort",
            "{\"protocol\": \"tcp\", \"publicPort\": 3000, \"target\": \"[::1]:22\"}       | ports[0].target",
            "{\"protocol\": \"tcp\", \"publicPort\": 3000, \"target\": \"a:1;rm\"}         | ports[0].target",
            "{\"protocol\": \"tcp\", \"publicPort\": 3000, \"target\": \"a:1\", \"proxyProtocol\": \"v3\"} "
                    + "| ports[0].proxyProtocol",
            "{\"protocol\": \"tcp\", \"publicPort\": 3000}                                | ports[0].target"})
    void malformedEntriesAre400NamingTheField(String entry, String field) {
        long before = links.count();
        Reply reply = create("malformed.example.com", entry);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("errors").findValuesAsString("field")).contains(field);
        assertThat(links.count()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tcp | 80    |       | 409 | gateway",
            "udp | 443   |       | 409 | gateway",
            "tcp | 400   | 450   | 409 | gateway",
            "udp | 51900 |       | 409 | wireGuardRange",
            "tcp | 51810 | 51830 | 409 | wireGuardRange",
            "udp | 40000 | 40100 | 400 | rangeMax",
            "tcp | 65500 | 65510 | 400 | target"})
    void portsTheGatewayNeedsOrThatCannotWorkAreRefusedWithNothingStored(String protocol, int first, Integer last,
            int status, String conflict) {
        long before = links.count();
        Reply reply = create("refused.example.com", "{\"protocol\": \"" + protocol + "\", \"publicPort\": " + first
                + (last == null ? "" : ", \"publicPortEnd\": " + last) + ", \"target\": \"app:"
                + ("target".equals(conflict) ? 65530 : 1000) + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().get("conflict").asString()).isEqualTo(conflict);
        assertThat(reply.json().get("detail").asString()).contains(reply.json().get("port").asString());
        assertThat(links.count()).as("nothing was stored").isEqualTo(before);
    }

    @Test
    void theApiPortIsRefused() {
        Reply reply = create("api-port.example.com", "{\"protocol\": \"tcp\", \"publicPort\": " + port
                + ", \"target\": \"app:22\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.json().get("conflict").asString()).isEqualTo("api");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"protocol\": \"udp\", \"publicPort\": 3478, \"target\": \"turn:3478\", \"proxyProtocol\": \"v1\"}",
            "{\"protocol\": \"tcp\", \"publicPort\": 3478, \"publicPortEnd\": 3479, \"target\": \"t:1\", "
                    + "\"proxyProtocol\": \"v2\"}",
            "{\"protocol\": \"tcp\", \"publicPort\": 3479, \"publicPortEnd\": 3478, \"target\": \"t:1\"}",
            "{\"protocol\": \"tcp\", \"publicPort\": 3478, \"target\": \"t:1\"}, "
                    + "{\"protocol\": \"tcp\", \"publicPort\": 3470, \"publicPortEnd\": 3480, \"target\": \"t:1\"}"})
    void entriesThatCannotWorkAsWrittenAre400(String entries) {
        Reply reply = create("unworkable.example.com", entries);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("detail").asString()).isNotBlank();
    }

    @Test
    void aPortOfAnotherLinkIsRefusedAndFreedAtOnceWhenThatLinkGoes() {
        TestApi api = new TestApi(port);
        Reply first = create("first.example.com", udp(3478, "turn:3478") + ", {\"protocol\": \"udp\", "
                + "\"publicPort\": 50100, \"publicPortEnd\": 50150, \"target\": \"turn:50100\"}");
        assertThat(first.status()).isEqualTo(201);

        Reply taken = create("second.example.com", "{\"protocol\": \"udp\", \"publicPort\": 50000, "
                + "\"publicPortEnd\": 50099, \"target\": \"t:1\"}, {\"protocol\": \"udp\", \"publicPort\": 50150, "
                + "\"target\": \"t:1\"}");
        assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
        assertThat(taken.json().get("linkId").asString()).isEqualTo(id(first));
        assertThat(taken.json().get("port").asInt()).isEqualTo(50150);
        assertThat(api.get("/links?fqdn=second.example.com").json()).isEmpty();
        // The same number over the other protocol is another port.
        Reply tcp = create("tcp.example.com", tcp(3478, "t:1"));
        assertThat(tcp.status()).as(tcp.toString()).isEqualTo(201);

        assertThat(api.delete("/links/" + id(first)).status()).isEqualTo(204);

        Reply freed = create("second.example.com", udp(50150, "t:1"));
        assertThat(freed.status()).as(freed.toString()).isEqualTo(201);
        api.delete("/links/" + id(freed));
        api.delete("/links/" + id(tcp));
    }

    @Test
    void portsOfALiveLinkAreReplacedWithTheSameKeysAndTheAnswerSaysWhatHomeMustDo() {
        TestApi api = new TestApi(port);
        Reply created = create("live.example.com", tcp(2222, "git:22"));
        String id = id(created);

        Reply added = put(api, id, tcp(2222, "git:22") + ", " + udp(27015, "game:27015"));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.json().get("gatewayPublicKey").asString())
                .isEqualTo(created.json().get("gatewayPublicKey").asString());
        assertThat(added.json().get("udpPort").asInt()).isEqualTo(created.json().get("udpPort").asInt());
        assertThat(added.json().get("homeUpdate").asString()).contains("tcp:2222=git:22 udp:27015=game:27015");
        assertThat(added.json().get("compose").asString()).contains("LINK_PORTS: tcp:2222=git:22 udp:27015=game:27015");

        Reply removed = put(api, id, udp(27015, "game:27015"));
        assertThat(removed.json().get("homeUpdate").asString()).startsWith("Nothing to do at home");
        // Removing a port frees it at once.
        Reply other = create("other.example.com", tcp(2222, "b:22"));
        assertThat(other.status()).as(other.toString()).isEqualTo(201);

        Reply refused = put(api, id, tcp(2222, "git:22"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(api.get("/links/" + id).json().get("ports")).as("nothing changed").hasSize(1);
        assertThat(put(api, "no-such-link", "").status()).isEqualTo(404);
        assertThat(api.put("/links/" + id + "/ports", "{}").status()).isEqualTo(400);
        api.delete("/links/" + id);
        api.delete("/links/" + id(other));
    }

    @Test
    void aRepeatedCreateWithOtherPortsIsAConflictNamingTheWayToChangeThem() {
        TestApi api = new TestApi(port);
        Reply created = create("repeat.example.com", tcp(7000, "a:7000"));
        assertThat(create("repeat.example.com", tcp(7000, "a:7000")).status()).isEqualTo(200);
        Reply other = create("repeat.example.com", tcp(7001, "a:7000"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().get("detail").asString()).contains("PUT /links/" + id(created) + "/ports");
        api.delete("/links/" + id(created));
    }

    private Reply create(String fqdn, String entries) {
        return new TestApi(port).post("/links", "{\"fqdn\": \"" + fqdn + "\", \"expose\": \"app:80\", \"ports\": ["
                + entries + "]}");
    }

    private static String tcp(int port, String target) {
        return entry("tcp", port, target);
    }

    private static String udp(int port, String target) {
        return entry("udp", port, target);
    }

    private static String entry(String protocol, int port, String target) {
        return "{\"protocol\": \"" + protocol + "\", \"publicPort\": " + port + ", \"target\": \"" + target
                + "\"}";
    }

    private static Reply put(TestApi api, String id, String entries) {
        return api.put("/links/" + id + "/ports", "{\"ports\": [" + entries + "]}");
    }

    private static String id(Reply reply) {
        return reply.json().get("id").asString();
    }
}
