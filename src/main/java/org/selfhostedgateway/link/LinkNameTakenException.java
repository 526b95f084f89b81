package org.selfhostedgateway.link;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A name asked for already belongs to another link, as its main fqdn or as an alias. Nothing is stored. */
class LinkNameTakenException extends ErrorResponseException {

    LinkNameTakenException(String field, NameOwner owner) {
        super(HttpStatus.CONFLICT, problem(field, owner), null);
    }

    private static ProblemDetail problem(String field, NameOwner owner) {
        boolean main = owner.name().equals(owner.ownerFqdn());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "The name " + owner.name()
                + " (" + field + ") already belongs to link " + owner.ownerId() + " ("
                + (main ? "its main name" : "an alias of " + owner.ownerFqdn()) + "). A name serves one link only: "
                + "remove it from that link first (PATCH its aliases, or delete it).");
        problem.setTitle("Name already linked");
        problem.setProperty("field", field);
        problem.setProperty("name", owner.name());
        problem.setProperty("ownerId", owner.ownerId());
        problem.setProperty("ownerFqdn", owner.ownerFqdn());
        return problem;
    }
}
