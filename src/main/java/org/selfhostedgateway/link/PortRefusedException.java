package org.selfhostedgateway.link;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A raw port that cannot be given: 409 when something holds it (another link, a container, the gateway itself),
 * 400 when the entry cannot work as written. The problem names the port and what holds it; nothing is stored.
 */
class PortRefusedException extends ErrorResponseException {

    PortRefusedException(HttpStatus status, PortMapping entry, int port, String conflict, String detail) {
        super(status, problem(status, entry, port, conflict, detail), null);
    }

    PortRefusedException with(String name, String value) {
        getBody().setProperty(name, value);
        return this;
    }

    private static ProblemDetail problem(HttpStatus status, PortMapping entry, int port, String conflict,
            String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status == HttpStatus.CONFLICT ? "Port already taken" : "Port entry refused");
        problem.setProperty("protocol", entry.protocol());
        problem.setProperty("port", port);
        problem.setProperty("conflict", conflict);
        return problem;
    }
}
