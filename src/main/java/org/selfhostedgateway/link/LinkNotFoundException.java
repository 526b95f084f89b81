package org.selfhostedgateway.link;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No link has this id (it never existed, or it was deleted). */
class LinkNotFoundException extends ErrorResponseException {

    LinkNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No link has the id " + id);
        problem.setTitle("Link not found");
        return problem;
    }
}
