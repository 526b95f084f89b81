package org.selfhostedgateway.link;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The fqdn already belongs to a link that differs from the request. */
class LinkConflictException extends ErrorResponseException {

    LinkConflictException(String fqdn, String existingId, String why) {
        super(HttpStatus.CONFLICT, problem(fqdn, existingId, why), null);
    }

    private static ProblemDetail problem(String fqdn, String existingId, String why) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "The fqdn " + fqdn + " is already linked (link " + existingId + ") " + why
                        + ". Delete that link first to change it.");
        problem.setTitle("Link already exists");
        problem.setProperty("linkId", existingId);
        return problem;
    }
}
