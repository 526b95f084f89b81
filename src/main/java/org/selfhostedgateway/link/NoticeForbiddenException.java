package org.selfhostedgateway.link;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A named token that did not create the link tries to set its notice: only its manager speaks for it. */
class NoticeForbiddenException extends ErrorResponseException {

    NoticeForbiddenException(String linkId) {
        super(HttpStatus.FORBIDDEN, problem(linkId), null);
    }

    private static ProblemDetail problem(String linkId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Only the admin and the "
                + "token that created link " + linkId + " may set its notice.");
        problem.setTitle("Forbidden");
        return problem;
    }
}
