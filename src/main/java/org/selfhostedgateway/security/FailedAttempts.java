package org.selfhostedgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins and bad bearer tokens per client address in a fixed window; an address that reached the
 * limit is refused until its window ends. Only further failures are refused: callers check a valid secret first. Memory stays bounded: past {@link #MAX_ADDRESSES} the address seen least
 * recently is forgotten.
 */
@Component
class FailedAttempts {

    static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    FailedAttempts(GatewaySecurityProperties properties, Clock clock) {
        this.maxFailures = properties.maxFailures();
        this.window = properties.failureWindow();
        this.clock = clock;
    }

    /** Throws when this address must wait before it may try again. */
    synchronized void checkAllowed(String address) {
        Window current = live(address);
        if (current != null && current.failures >= maxFailures) {
            throw new TooManyAttemptsException(Duration.between(clock.instant(), current.end));
        }
    }

    synchronized void recordFailure(String address) {
        Window current = live(address);
        if (current == null) {
            windows.put(address, new Window(clock.instant().plus(window), 1));
        }
        else {
            current.failures++;
        }
    }

    /** Counts a failure of a caller that may not be told it is blocked (health answers everyone the same). */
    synchronized void recordFailureUnlessBlocked(String address) {
        Window current = live(address);
        if (current == null || current.failures < maxFailures) {
            recordFailure(address);
        }
    }

    synchronized int trackedAddresses() {
        return windows.size();
    }

    private Window live(String address) {
        Window current = windows.get(address);
        if (current != null && !clock.instant().isBefore(current.end)) {
            windows.remove(address);
            return null;
        }
        return current;
    }

    private static final class Window {

        private final Instant end;
        private int failures;

        private Window(Instant end, int failures) {
            this.end = end;
            this.failures = failures;
        }
    }
}
