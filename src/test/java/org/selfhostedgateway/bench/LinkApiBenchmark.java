package org.selfhostedgateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.GatewayApplication;
import org.selfhostedgateway.TestApi;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: prints how fast the API answers with 1,000 links stored. Run it with
 * {@code ./mvnw test -Dtest=LinkApiBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; see
 * benchmarks/control-plane/README.md.
 */
class LinkApiBenchmark {

    private static final int LINKS = 1000;
    private static final int LIST_CALLS = 200;

    @Test
    void postAndListLatencyWithAThousandLinks() throws Exception {
        Path dataDir = Files.createTempDirectory("gateway-bench");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--gateway.data.dir=" + dataDir, "--gateway.ports.first=20000",
                "--gateway.ports.last=29999", "--logging.level.root=WARN")) {
            TestApi api = new TestApi(((WebServerApplicationContext) app).getWebServer().getPort());

            // Warm up the JIT and the connection, then measure on a fresh set of names.
            for (int i = 0; i < 200; i++) {
                assertThat(api.createLink("warm" + i + ".bench.example.com", "app:80").status()).isEqualTo(201);
            }
            for (int i = 0; i < 200; i++) {
                api.get("/links");
            }
            List<Long> post = new ArrayList<>();
            for (int i = 0; i < LINKS - 200; i++) {
                long start = System.nanoTime();
                assertThat(api.createLink("l" + i + ".bench.example.com", "app:80").status()).isEqualTo(201);
                post.add(System.nanoTime() - start);
            }
            assertThat(api.get("/links").json()).hasSize(LINKS);
            List<Long> list = new ArrayList<>();
            for (int i = 0; i < LIST_CALLS; i++) {
                long start = System.nanoTime();
                assertThat(api.get("/links").status()).isEqualTo(200);
                list.add(System.nanoTime() - start);
            }
            System.out.printf("%nBENCHMARK control plane, %d links stored, %d cores, Java %s%n", LINKS,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("POST /links   (%d calls): median %.2f ms, p99 %.2f ms%n", post.size(),
                    millis(percentile(post, 50)), millis(percentile(post, 99)));
            System.out.printf("GET  /links   (%d calls, %d links each): median %.2f ms, p99 %.2f ms%n%n",
                    list.size(), LINKS, millis(percentile(list, 50)), millis(percentile(list, 99)));
        }
    }

    private static long percentile(List<Long> samples, int percent) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
