package org.selfhostedgateway.nginx;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.HostileStrings;
import org.selfhostedgateway.link.Cidr;
import org.selfhostedgateway.link.LinkIpRules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The links.access file: what NGINX is told about each link's visitors, and that nothing else gets in. */
class LinkAccessFileTests {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private static LinkIpRules rules(String id, List<String> allow, List<String> deny) {
        return new LinkIpRules(id, allow.stream().map(Cidr::parse).toList(), deny.stream().map(Cidr::parse).toList());
    }

    @Test
    void withoutRulesEveryLinkIsServedByTheDefault() {
        String file = LinkAccessFile.render(List.of());

        assertThat(file).endsWith("map $sg_link $sg_access {\n    default 1;\n}\n");
        assertThat(LinkAccessFile.links(file)).isZero();
        assertThat(LinkAccessFile.render(List.of(rules(ID, List.of(), List.of())))).isEqualTo(file);
    }

    @Test
    void aLinkWithRulesGetsAGeoOfItsOwnReachedFromBothOfItsMapValues() {
        String file = LinkAccessFile.render(List.of(rules(ID, List.of("203.0.113.0/24", "2001:db8::/32"),
                List.of("203.0.113.128/25"))));

        assertThat(file).contains("""
                geo $remote_addr $sg_access_0f8fad5b_d9cb_469f_a165_70867728950e {
                    0.0.0.0/0 0;
                    203.0.113.0/24 1;
                    203.0.113.128/25 0;
                    ::/0 0;
                    2001:db8::/32 1;
                }
                map $sg_link $sg_access {
                    default 1;
                    "sg-link-0f8fad5b-d9cb-469f-a165-70867728950e" $sg_access_0f8fad5b_d9cb_469f_a165_70867728950e;
                    "sg-link-0f8fad5b-d9cb-469f-a165-70867728950e/pp" $sg_access_0f8fad5b_d9cb_469f_a165_70867728950e;
                }
                """);
        assertThat(LinkAccessFile.links(file)).isEqualTo(1);
    }

    @Test
    void aDenyListAloneServesEveryoneElse() {
        assertThat(LinkAccessFile.verdicts(rules(ID, List.of(), List.of("198.51.100.0/24", "2001:db8::/32"))))
                .containsExactly(Map.entry(Cidr.parse("0.0.0.0/0"), 1), Map.entry(Cidr.parse("198.51.100.0/24"), 0),
                        Map.entry(Cidr.parse("::/0"), 1), Map.entry(Cidr.parse("2001:db8::/32"), 0));
    }

    @Test
    void denyWinsOverAllowWhateverTheirPrefixes() {
        // An allowed network inside a denied one would win NGINX's longest-prefix match: it is left out.
        Map<Cidr, Integer> verdicts = LinkAccessFile.verdicts(rules(ID,
                List.of("10.1.2.0/24", "192.0.2.7/32", "10.9.0.0/16", "0.0.0.0/0"),
                List.of("10.0.0.0/8", "192.0.2.7/32")));

        assertThat(verdicts).containsExactly(Map.entry(Cidr.parse("0.0.0.0/0"), 1), Map.entry(Cidr.parse("10.0.0.0/8"),
                0), Map.entry(Cidr.parse("192.0.2.7/32"), 0), Map.entry(Cidr.parse("::/0"), 0));
        assertThat(verdictFor(verdicts, "10.1.2.3")).isZero();
        assertThat(verdictFor(verdicts, "10.9.1.1")).isZero();
        assertThat(verdictFor(verdicts, "192.0.2.7")).isZero();
        assertThat(verdictFor(verdicts, "192.0.2.8")).isEqualTo(1);
        assertThat(verdictFor(verdicts, "2001:db8::1")).as("an IPv4-only allow list refuses IPv6").isZero();
    }

    @Test
    void anAllowListServesOnlyItsNetworksAndADenyInsideItCutsAHole() {
        Map<Cidr, Integer> verdicts = LinkAccessFile.verdicts(rules(ID, List.of("203.0.113.0/24"),
                List.of("203.0.113.128/25", "198.51.100.0/24")));

        assertThat(verdictFor(verdicts, "203.0.113.5")).isEqualTo(1);
        assertThat(verdictFor(verdicts, "203.0.113.200")).isZero();
        assertThat(verdictFor(verdicts, "198.51.100.1")).isZero();
        assertThat(verdictFor(verdicts, "8.8.8.8")).isZero();
    }

    /** NGINX's geo: the longest matching prefix decides. */
    private static int verdictFor(Map<Cidr, Integer> verdicts, String address) {
        Cidr visitor = Cidr.parse(address);
        return verdicts.entrySet().stream().filter(entry -> entry.getKey().contains(visitor))
                .max((a, b) -> Integer.compare(a.getKey().prefix(), b.getKey().prefix())).orElseThrow().getValue();
    }

    @Test
    void linksAreSortedSoTheSameRulesAlwaysRenderTheSameFile() {
        LinkIpRules a = rules("aaaa", List.of(), List.of("192.0.2.0/24"));
        LinkIpRules b = rules("bbbb", List.of("192.0.2.0/24"), List.of());

        assertThat(LinkAccessFile.render(List.of(b, a))).isEqualTo(LinkAccessFile.render(List.of(a, b)));
        assertThat(LinkAccessFile.links(LinkAccessFile.render(List.of(b, a)))).isEqualTo(2);
    }

    @Test
    void linksWithTheSameRulesShareOneGeo() {
        LinkIpRules a = rules("aaaa", List.of("192.0.2.0/24"), List.of());
        LinkIpRules b = rules("bbbb", List.of("192.0.2.0/24"), List.of());
        LinkIpRules c = rules("cccc", List.of("198.51.100.0/24"), List.of());

        String file = LinkAccessFile.render(List.of(c, b, a));

        assertThat(file.lines().filter(line -> line.startsWith("geo "))).containsExactly(
                "geo $remote_addr $sg_access_aaaa {", "geo $remote_addr $sg_access_cccc {");
        assertThat(file).contains("\"sg-link-bbbb/pp\" $sg_access_aaaa;").contains("\"sg-link-cccc\" $sg_access_cccc;");
        assertThat(LinkAccessFile.links(file)).isEqualTo(3);
    }

    @Test
    void nothingButALinkIdAndCanonicalNetworksEverReachesNginx() throws Exception {
        for (String hostile : new HostileStrings(14).around(List.of("192.0.2.0/24", "2001:db8::/32", "::ffff:1.2.3.4"),
                10_000)) {
            Cidr parsed;
            try {
                parsed = Cidr.parse(hostile);
            }
            catch (IllegalArgumentException refused) {
                continue;
            }
            String file = LinkAccessFile.render(List.of(new LinkIpRules(ID, List.of(), List.of(parsed))));
            assertThat(parsed.toString()).as(hostile).matches("[0-9a-f.:]{2,39}/[0-9]{1,3}");
            assertThat(file.lines().filter(line -> line.startsWith("    ") && !line.contains("sg-link-")
                    && !line.equals("    default 1;")))
                    .as(hostile).allMatch(line -> line.matches("    [0-9a-f.:]{2,39}/[0-9]{1,3} [01];"));
        }
        for (String hostile : new HostileStrings(15).around(List.of(ID), 2_000)) {
            try {
                String file = LinkAccessFile.render(List.of(rules(hostile, List.of(), List.of("192.0.2.0/24"))));
                assertThat(hostile).matches("[a-z0-9][a-z0-9-]{0,54}");
                assertThat(file).contains("$sg_access_" + hostile.replace('-', '_') + " {");
            }
            catch (IllegalArgumentException refused) {
                assertThat(refused).hasMessageContaining("not safe for NGINX");
            }
        }
        // Rules read back from the database are parsed again on the way: a tampered column never becomes config.
        Constructor<LinkIpRules> fromColumns = LinkIpRules.class.getDeclaredConstructor(String.class, String.class,
                String.class);
        fromColumns.setAccessible(true);
        assertThatThrownBy(() -> fromColumns.newInstance(ID, "10.0.0.0/8;}include/etc/passwd;", null))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(fromColumns.newInstance(ID, "10.0.0.0/8 2001:db8::/32", null).allow())
                .extracting(Cidr::toString).containsExactly("10.0.0.0/8", "2001:db8::/32");
    }

    @Test
    void cidrsAreWrittenInOneCanonicalForm() {
        assertThat(Cidr.parse("2001:DB8:0:0:0:0:0:0/32")).hasToString("2001:db8::/32");
        assertThat(Cidr.parse("2001:db8:0:0:1:0:0:0/80")).hasToString("2001:db8:0:0:1::/80");
        assertThat(Cidr.parse("2001:0:0:1:0:0:0:0/64")).hasToString("2001:0:0:1::/64");
        assertThat(Cidr.parse("2001:0:0:1:0:0:1:1")).as("a tie: the first run").hasToString("2001::1:0:0:1:1/128");
        assertThat(Cidr.parse("::1")).hasToString("::1/128");
        assertThat(Cidr.parse("::")).hasToString("::/128");
        assertThat(Cidr.parse("fe80::/10")).hasToString("fe80::/10");
        assertThat(Cidr.parse("1:2:3:4:5:6:7:8")).hasToString("1:2:3:4:5:6:7:8/128");
        assertThat(Cidr.parse("192.0.2.1")).hasToString("192.0.2.1/32");
        assertThat(Cidr.parse("0.0.0.0/0")).hasToString("0.0.0.0/0");
        assertThatThrownBy(() -> Cidr.parse("192.0.2.1/24")).hasMessageContaining("192.0.2.0/24");
        assertThatThrownBy(() -> Cidr.parse("192.0.2.0/024x")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Cidr.parse("192.0.2.0/")).hasMessageContaining("prefix");
    }
}
