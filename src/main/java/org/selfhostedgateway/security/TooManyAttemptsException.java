package org.selfhostedgateway.security;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** This address failed to authenticate too often lately; it may try again after {@link #retryAfterSeconds()}. */
public class TooManyAttemptsException extends ErrorResponseException {

    private final long retryAfterSeconds;

    TooManyAttemptsException(Duration retryAfter) {
        this(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }

    private TooManyAttemptsException(long seconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(seconds), null);
        this.retryAfterSeconds = seconds;
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static ProblemDetail problem(long seconds) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Too many failed sign-ins or invalid tokens from this address. Try again in " + seconds
                        + " seconds.");
        problem.setTitle("Too many failed attempts");
        return problem;
    }
}
