package org.selfhostedgateway.nginx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.BenchmarkRows;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.e2e.DataPlaneFixture;
import org.selfhostedgateway.link.LinkRoute;
import org.selfhostedgateway.link.VisitorAddress;
import org.selfhostedgateway.link.LinkService;

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
            publisher.apply(LinkMap.render(gateway.bean(LinkService.class).routes()),
                    LinkAccessFile.render(gateway.bean(org.selfhostedgateway.link.LinkAccessRules.class).ipRules()));

            System.out.printf("%nBENCHMARK data plane, %d cores%n", Runtime.getRuntime().availableProcessors());
            System.out.printf("POST /links -> ACTIVE (container up, map serving), %d links one after another: "
                    + "median %.0f ms, max %.0f ms%n", ready.size(), ms(median(ready)), ms(Collections.max(ready)));
            lines.forEach(System.out::println);
            BenchmarkRows.record("post_to_active_median_s", String.format("%.2f", ms(median(ready)) / 1000));
            System.out.println();
        }
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
