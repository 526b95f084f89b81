package org.selfhostedgateway.nginx;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.HostileStrings;
import org.selfhostedgateway.link.LinkRoute;
import org.selfhostedgateway.link.VisitorAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkMapTests {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @Test
    void everyLinkIsOneQuotedLineSortedByNameAndSaysWhetherItGetsAProxyLine() {
        String map = LinkMap.render(List.of(new LinkRoute("b.example.com", ID, VisitorAddress.NONE),
                new LinkRoute("a.example.com", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", VisitorAddress.PROXY_PROTOCOL)));

        assertThat(map.lines().filter(line -> !line.startsWith("#")).toList()).containsExactly(
                "\"a.example.com\" \"sg-link-1b4e28ba-2fa1-11d2-883f-0016d3cca427/pp\";",
                "\"b.example.com\" \"sg-link-" + ID + "\";");
        assertThat(LinkMap.entries(map)).isEqualTo(2);
    }

    @Test
    void everyNameOfALinkIsALineOfItsOwnWithTheSameValueAsItsMainName() {
        String map = LinkMap.render(List.of(new LinkRoute("shop.example.com", ID, VisitorAddress.PROXY_PROTOCOL),
                new LinkRoute("www.shop.example.com", ID, VisitorAddress.PROXY_PROTOCOL),
                new LinkRoute("old-shop.example.com", ID, VisitorAddress.PROXY_PROTOCOL)));

        assertThat(map.lines().filter(line -> !line.startsWith("#")).toList()).containsExactly(
                "\"old-shop.example.com\" \"sg-link-" + ID + "/pp\";",
                "\"shop.example.com\" \"sg-link-" + ID + "/pp\";",
                "\"www.shop.example.com\" \"sg-link-" + ID + "/pp\";");
        assertThat(LinkMap.entries(map)).isEqualTo(3);
    }

    @Test
    void noLinksIsAMapWithNoEntries() {
        assertThat(LinkMap.entries(LinkMap.render(List.of()))).isZero();
    }

    @Test
    void nothingUnsafeEverReachesTheMapWhateverTheCallerPasses() {
        for (String hostile : new HostileStrings(4).around(List.of("app.example.com"), 10_000)) {
            String fqdn = hostile;
            try {
                String map = LinkMap.render(List.of(new LinkRoute(fqdn, ID, VisitorAddress.PROXY_PROTOCOL)));
                assertThat(map.lines().filter(line -> !line.startsWith("#")).toList()).singleElement()
                        .satisfies(line -> assertThat(line).matches("\"[a-z0-9.-]+\" \"sg-link-[a-z0-9-]+/pp\";"));
            }
            catch (IllegalArgumentException refused) {
                assertThat(refused).hasMessageContaining("not safe for NGINX");
            }
        }
        assertThatThrownBy(() -> LinkMap.render(List.of(new LinkRoute("a.example.com", "x\";evil", VisitorAddress.NONE)))).isInstanceOf(
                IllegalArgumentException.class);
    }
}
