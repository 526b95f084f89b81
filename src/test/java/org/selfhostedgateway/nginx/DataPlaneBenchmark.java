package org.selfhostedgateway.nginx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.BenchmarkRows;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.e2e.DataPlaneFixture;
import org.selfhostedgateway.link.Cidr;
import org.selfhostedgateway.link.LinkIpRules;
import org.selfhostedgateway.link.LinkRoute;
import org.selfhostedgateway.link.VisitorAddress;
import org.selfhostedgateway.link.DataPlaneLinks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: prints how fast the gateway side follows the API, against a real NGINX container and real link
 * containers. Run it with {@code scripts/test.sh -Dtest=DataPlaneBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (or, once the images exist, {@code ./mvnw test -Dtest=DataPlaneBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}); see benchmarks/control-plane/README.md.
 */
class DataPlaneBenchmark {

    private static final int LINKS_TIMED = 15;
    private static final int RELOADS = 7;

    @Test
    void gatewaySideReadinessAndMapReloadTimes() throws Exception {
        try (DataPlaneFixture gateway = new DataPlaneFixture()) {
            TestApi api = gateway.startControlPlane();

            List<Long> ready = new ArrayList<>();
            for (int i = 0; i < LINKS_TIMED; i++) {
                long start = System.nanoTime();
                String id = api.createLink("ready" + i + ".bench.example.test", "app:80").json().get("id")
                        .asString();
                while (!"ACTIVE".equals(api.get("/links/" + id).json().get("state").asString())) {
                    assertThat(System.nanoTime() - start).as("link %s not ACTIVE", id).isLessThan(60_000_000_000L);
                    Thread.sleep(5);
                }
                ready.add(System.nanoTime() - start);
            }

            NginxMapPublisher publisher = gateway.bean(NginxMapPublisher.class);
            List<String> lines = new ArrayList<>();
            for (int size : new int[] { 1000, 5000 }) {
                List<Long> render = new ArrayList<>();
                List<Long> apply = new ArrayList<>();
                for (int run = 0; run < RELOADS; run++) {
                    List<LinkRoute> routes = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        // Each run differs by one name, so every publish really writes, checks and reloads.
                        routes.add(new LinkRoute("host" + i + "-run" + (i == 0 ? run : 0) + ".bench.example.test",
                                java.util.UUID.nameUUIDFromBytes(("l" + i).getBytes()).toString(),
                                VisitorAddress.PROXY_PROTOCOL));
                    }
                    long start = System.nanoTime();
                    String map = LinkMap.render(routes);
                    long rendered = System.nanoTime();
                    NginxMapPublisher.Outcome outcome = publisher.apply(map);
                    long applied = System.nanoTime();
                    assertThat(outcome.serving()).as(String.valueOf(outcome.problem())).isTrue();
                    render.add(rendered - start);
                    apply.add(applied - rendered);
                }
                BenchmarkRows.record("map_" + size + "_publish_ms", String.format("%.0f", ms(median(render) + median(apply))));
                lines.add(String.format("map of %d links: render median %.1f ms; write + nginx -t + reload median "
                        + "%.1f ms, max %.1f ms (%d runs)", size, ms(median(render)), ms(median(apply)),
                        ms(Collections.max(apply)), RELOADS));
            }
            lines.addAll(accessRulesCost(publisher));
            publisher.apply(LinkMap.render(gateway.bean(DataPlaneLinks.class).routes()),
                    LinkAccessFile.render(gateway.bean(DataPlaneLinks.class).ipRules()));

            System.out.printf("%nBENCHMARK data plane, %d cores%n", Runtime.getRuntime().availableProcessors());
            System.out.printf("POST /links -> ACTIVE (container up, map serving), %d links one after another: "
                    + "median %.0f ms, max %.0f ms%n", ready.size(), ms(median(ready)), ms(Collections.max(ready)));
            lines.forEach(System.out::println);
            BenchmarkRows.record("post_to_active_median_s", String.format("%.2f", ms(median(ready)) / 1000));
            System.out.println();
        }
    }

    /**
     * What visitor IP rules add to a publish of a 5,000-link map: the same map with no rules, then with 1,000 and
     * 5,000 links each holding rules of their own (one NGINX geo each, the worst case: links with equal rules share
     * one), side by side in one run.
     */
    private static List<String> accessRulesCost(NginxMapPublisher publisher) {
        int size = 5000;
        List<String> lines = new ArrayList<>();
        Double without = null;
        for (int withRules : new int[] { 0, 1000, size }) {
            List<Long> apply = new ArrayList<>();
            for (int run = 0; run < RELOADS; run++) {
                List<LinkRoute> routes = new ArrayList<>();
                List<LinkIpRules> rules = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    String id = java.util.UUID.nameUUIDFromBytes(("l" + i).getBytes()).toString();
                    routes.add(new LinkRoute("host" + i + "-acl" + withRules + "-run" + (i == 0 ? run : 0)
                            + ".bench.example.test", id, VisitorAddress.PROXY_PROTOCOL));
                    if (i < withRules) {
                        rules.add(new LinkIpRules(id, List.of(Cidr.parse("198.51.100." + (i % 256) + "/32"),
                                Cidr.parse("10." + (i / 256) + "." + (i % 256) + ".0/24")),
                                List.of(Cidr.parse("192.0.2.0/24"))));
                    }
                }
                String map = LinkMap.render(routes);
                String access = LinkAccessFile.render(rules);
                long start = System.nanoTime();
                NginxMapPublisher.Outcome outcome = publisher.apply(map, access);
                apply.add(System.nanoTime() - start);
                assertThat(outcome.serving()).as(String.valueOf(outcome.problem())).isTrue();
            }
            double median = ms(median(apply));
            if (without == null) {
                without = median;
            }
            BenchmarkRows.record("access_" + withRules + "_rule_sets_publish_ms", String.format("%.0f", median));
            lines.add(String.format("map of %d links, %d of them with IP rules of their own: write + nginx -t + "
                    + "reload median %.1f ms (%.2f x the same map without rules, %d runs)", size, withRules, median,
                    median / without, RELOADS));
        }
        return lines;
    }

    private static long median(List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
