package org.selfhostedgateway.link;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LinkValidationTests {

    @LocalServerPort
    int port;

    @Autowired
    LinkRepository links;

    static Stream<String> hostileFqdns() {
        return Stream.of("app.example.com\n", "app.example.com\nserver { listen 80; }", "app.example.com;",
                "app.example.com; rm -rf /", "app{.example.com", "app}.example.com", "\"app.example.com\"",
                "'app.example.com'", "app .example.com", " app.example.com", "app.example.com ", "ápp.example.com",
                "app.exämple.com", "app.example.com\u0000", "app\u2028.example.com", "localhost", "com", "",
                "-app.example.com", "app-.example.com", "app..example.com", ".app.example.com", "app.example.com.",
                "1.2.3.4", "app.example.123", "app_x.example.com", "*.example.com", "app.example.com:443",
                "app.example.com/path", "a".repeat(64) + ".example.com",
                ("a".repeat(63) + ".").repeat(4).substring(0, 250) + ".com");
    }

    @ParameterizedTest
    @MethodSource("hostileFqdns")
    void hostileFqdnsAreRefusedWith400NamingTheField(String fqdn) {
        assertRefused(TestApi.json("fqdn", fqdn, "expose", "app:80"), "fqdn");
    }

    @ParameterizedTest
    @ValueSource(strings = { "app:0", "app:65536", "app:99999", "app", "app:", ":80", "app:80\n", "app:80;",
            "app:8o", "app:-1", "app :80", "app: 80", "ap p:80", "\"app\":80", "app{}:80", "äpp:80", "app:80 # x",
            "http://app:80", "app:80/path", "[::1:80", "[::1]", "[::1]:", "user@app:80", "app:080x", "",
            "[..]:80", "[::::::]:80", "999.999.999.999:80", "10.0.0.256:80", "1.2.3:80", "[1:2:3:4:5:6:7:8:9]:80",
            "[fe80::1%eth0]:80" })
    void hostileExposesAreRefusedWith400NamingTheField(String expose) {
        assertRefused(TestApi.json("fqdn", "ok.example.com", "expose", expose), "expose");
    }

    @ParameterizedTest
    @ValueSource(strings = { "not-a-key", "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08", "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08==",
            "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR09=", "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=\n",
            "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR0\"=" })
    void malformedClientPublicKeysAreRefused(String key) {
        assertRefused(TestApi.json("fqdn", "ok.example.com", "expose", "app:80", "clientPublicKey", key),
                "clientPublicKey");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"fqdn\": \"ok.example.com\"}", "{\"expose\": \"app:80\"}" })
    void missingFieldsAreNamed(String body) {
        long before = links.count();
        Reply reply = new TestApi(port).post("/links", body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").findValuesAsString("field")).isNotEmpty();
        assertThat(links.count()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a.co", "x-1.y-2.example.org", "UPPER.Example.COM" })
    void ordinaryNamesAreAccepted(String fqdn) {
        Reply reply = new TestApi(port).createLink(fqdn, "app:80");
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
        new TestApi(port).delete("/links/" + reply.json().get("id").asString());
    }

    @ParameterizedTest
    @ValueSource(strings = { "app:1", "app:65535", "my_service:8080", "10.0.0.5:443", "[fd00::5]:8443",
            "host.internal.lan:3000", "[::1]:80", "[::ffff:192.0.2.1]:80", "255.255.255.255:80" })
    void ordinaryExposesAreAccepted(String expose) {
        Reply reply = new TestApi(port).createLink("expose-ok.example.com", expose);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        new TestApi(port).delete("/links/" + reply.json().get("id").asString());
    }

    @org.junit.jupiter.api.Test
    void aNameOfExactly253CharactersIsAcceptedAnd254IsNot() {
        String label = "a".repeat(63);
        String name253 = label + "." + label + "." + label + "." + "b".repeat(57) + ".com";
        assertThat(name253).hasSize(253);
        Reply accepted = new TestApi(port).createLink(name253, "app:80");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
        new TestApi(port).delete("/links/" + accepted.json().get("id").asString());

        assertRefused(TestApi.json("fqdn", "c" + name253, "expose", "app:80"), "fqdn");
    }

    private void assertRefused(String body, String field) {
        long before = links.count();
        Reply reply = new TestApi(port).post("/links", body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().get("errors").findValuesAsString("field")).contains(field);
        assertThat(links.count()).as("nothing was stored").isEqualTo(before);
    }
}
