package org.selfhostedgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The per-address limit on failures, with time under the test's control. */
class FailedAttemptsTests {

    final MutableClock clock = new MutableClock();
    final FailedAttempts attempts = new FailedAttempts(
            new GatewaySecurityProperties(null, 3, Duration.ofMinutes(5), null), clock);

    @Test
    void anAddressIsRefusedAfterTheLimitUntilItsWindowEnds() {
        for (int i = 0; i < 3; i++) {
            assertThatCode(() -> attempts.checkAllowed("203.0.113.1")).doesNotThrowAnyException();
            attempts.recordFailure("203.0.113.1");
            clock.advance(Duration.ofSeconds(10));
        }

        TooManyAttemptsException refused = catchThrowableOfType(TooManyAttemptsException.class,
                () -> attempts.checkAllowed("203.0.113.1"));
        assertThat(refused.retryAfterSeconds()).isEqualTo(270);
        assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("270");
        assertThat(refused.getBody().getStatus()).isEqualTo(429);
        assertThatCode(() -> attempts.checkAllowed("203.0.113.2")).as("other addresses are not affected")
                .doesNotThrowAnyException();

        clock.advance(Duration.ofSeconds(270));
        assertThatCode(() -> attempts.checkAllowed("203.0.113.1")).doesNotThrowAnyException();
    }

    @Test
    void memoryIsBoundedWhateverTheNumberOfAddresses() {
        for (int i = 0; i < FailedAttempts.MAX_ADDRESSES + 5_000; i++) {
            attempts.recordFailure("addr-" + i);
        }
        assertThat(attempts.trackedAddresses()).isEqualTo(FailedAttempts.MAX_ADDRESSES);
    }

    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
