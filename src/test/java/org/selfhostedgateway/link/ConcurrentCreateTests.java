package org.selfhostedgateway.link;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentCreateTests {

    @LocalServerPort
    int port;

    @Autowired
    LinkRepository links;

    @Test
    void aHundredConcurrentCreatesOfDistinctFqdnsGetAHundredDistinctPorts() throws Exception {
        List<Reply> replies = runAtOnce(100, i -> new TestApi(port).createLink("c" + i + ".concurrent.example.com",
                "app:80"));

        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.toString()).isEqualTo(201));
        Set<Integer> ports = new HashSet<>();
        replies.forEach(reply -> ports.add(reply.json().get("udpPort").asInt()));
        assertThat(ports).hasSize(100);
        assertThat(links.findAllUdpPorts().stream().filter(ports::contains)).hasSize(100);
    }

    @Test
    void twentyConcurrentCreatesOfOneFqdnMakeExactlyOneLink() throws Exception {
        List<Reply> replies = runAtOnce(20, i -> new TestApi(port).createLink("same.concurrent.example.com",
                "app:80"));

        assertThat(replies).filteredOn(reply -> reply.status() == 201).hasSize(1);
        assertThat(replies).filteredOn(reply -> reply.status() == 200).hasSize(19);
        assertThat(replies.stream().map(reply -> reply.json().get("id").asString()).distinct()).hasSize(1);
        assertThat(replies.stream().map(reply -> reply.json().get("compose").asString()).distinct()).hasSize(1);
        assertThat(links.findByFqdn("same.concurrent.example.com")).isPresent();
    }

    interface Call {
        Reply run(int index) throws Exception;
    }

    /** Starts all calls together behind a latch, so they really overlap. */
    static List<Reply> runAtOnce(int count, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<Reply> task = () -> {
                    start.await();
                    return call.run(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        }
        finally {
            pool.shutdownNow();
        }
    }
}
