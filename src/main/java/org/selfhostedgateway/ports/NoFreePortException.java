package org.selfhostedgateway.ports;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Every UDP port of the configured range is taken: the gateway cannot take another link until one is freed. */
public class NoFreePortException extends ErrorResponseException {

    NoFreePortException(String range) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(range), null);
    }

    private static ProblemDetail problem(String range) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "No free UDP port is left in the range " + range + ". Delete a link, or widen the range with "
                        + "GATEWAY_PORTS_FIRST and GATEWAY_PORTS_LAST (and open it in the firewall).");
        problem.setTitle("No free UDP port");
        problem.setProperty("portRange", range);
        return problem;
    }
}
