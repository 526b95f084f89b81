package org.selfhostedgateway.docker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/health} components {@code docker} (the engine answers a ping) and {@code gatewayNginx} (a running
 * container labelled {@code io.selfhosted-gateway.role=nginx} on the gateway network). Health answers without a
 * token, so each result is kept for {@link #TTL}: callers cannot make the gateway hammer its engine.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class DataPlaneHealthIndicators {

    static final Duration TTL = Duration.ofSeconds(5);

    @Bean
    HealthIndicator dockerHealthIndicator(DockerEngine engine, Clock clock) {
        return new Cached(clock, () -> {
            try {
                engine.ping();
                return Health.up().withDetail("host", engine.properties().host()).build();
            }
            catch (RuntimeException e) {
                return Health.down().withDetail("host", engine.properties().host())
                        .withDetail("error", e.getClass().getSimpleName()).build();
            }
        });
    }

    @Bean
    HealthIndicator gatewayNginxHealthIndicator(DockerNginxContainers nginx, DockerEngine engine, Clock clock) {
        return new Cached(clock, () -> {
            String network = engine.properties().network();
            try {
                List<String> running = nginx.running();
                return (running.isEmpty() ? Health.down() : Health.up()).withDetail("network", network)
                        .withDetail("containers", running).build();
            }
            catch (RuntimeException e) {
                return Health.unknown().withDetail("network", network)
                        .withDetail("error", "the Docker engine does not answer").build();
            }
        });
    }

    /** Answers from the last check while it is younger than {@link #TTL}. */
    private static final class Cached implements HealthIndicator {

        private final Clock clock;
        private final Supplier<Health> check;
        private Health last;
        private Instant checkedAt = Instant.MIN;

        Cached(Clock clock, Supplier<Health> check) {
            this.clock = clock;
            this.check = check;
        }

        @Override
        public synchronized Health health() {
            Instant now = clock.instant();
            if (last == null || checkedAt.plus(TTL).isBefore(now)) {
                last = check.get();
                checkedAt = now;
            }
            return last;
        }
    }
}
