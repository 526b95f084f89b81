package org.selfhostedgateway.tokens;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Another token already has this name; names tell tokens apart in the audit log, so they are unique. */
class TokenNameTakenException extends ErrorResponseException {

    TokenNameTakenException(String name) {
        super(HttpStatus.CONFLICT, problem(name), null);
    }

    private static ProblemDetail problem(String name) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "A token named " + name + " exists already. Choose another name, or revoke that token first.");
        problem.setTitle("Token name taken");
        return problem;
    }
}
