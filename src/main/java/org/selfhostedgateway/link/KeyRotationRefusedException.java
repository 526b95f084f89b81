package org.selfhostedgateway.link;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A key rotation that cannot be done as asked (400); nothing changed. */
class KeyRotationRefusedException extends ErrorResponseException {

    KeyRotationRefusedException(String detail) {
        super(HttpStatus.BAD_REQUEST, problem(detail), null);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Key rotation refused");
        problem.setProperty("field", "clientPublicKey");
        return problem;
    }
}
