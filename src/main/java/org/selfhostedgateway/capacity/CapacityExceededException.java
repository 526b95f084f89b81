package org.selfhostedgateway.capacity;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The host cannot run another link: refused before anything is stored, rather than a container that fails. */
public class CapacityExceededException extends ErrorResponseException {

    CapacityExceededException(HostCapacity.Limit limit, String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(limit, detail), null);
    }

    private static ProblemDetail problem(HostCapacity.Limit limit, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle("The gateway host is full");
        problem.setProperty("limit", limit.key());
        return problem;
    }
}
