package org.selfhostedgateway.tokens;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No named token has this id (it never existed, or it was revoked). */
class TokenNotFoundException extends ErrorResponseException {

    TokenNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No API token has the id " + id + " (it may have been revoked already)");
        problem.setTitle("Token not found");
        return problem;
    }
}
