package org.selfhostedgateway.security;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A valid token that may not do this: named tokens manage links, only the admin manages tokens and reads audit. */
class AccessForbiddenException extends ErrorResponseException {

    AccessForbiddenException() {
        super(HttpStatus.FORBIDDEN, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                "Only the admin token may do this; named API tokens may only manage links.");
        problem.setTitle("Forbidden");
        return problem;
    }
}
