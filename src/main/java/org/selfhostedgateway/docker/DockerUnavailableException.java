package org.selfhostedgateway.docker;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The Docker engine did not answer: nothing was changed, and the caller may try again. */
public class DockerUnavailableException extends ErrorResponseException {

    DockerUnavailableException(String host, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(host, cause), cause);
    }

    private static ProblemDetail problem(String host, Throwable cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The Docker engine at " + host + " does not answer (" + rootMessage(cause) + "). Nothing was "
                        + "changed; try again when it is back.");
        problem.setTitle("Docker engine unavailable");
        return problem;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
