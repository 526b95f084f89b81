package org.selfhostedgateway.link;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Access rules that cannot be stored: a 400 naming every refused field, shaped like the other validation problems. */
class AccessRulesRefusedException extends ErrorResponseException {

    private final List<Map<String, String>> errors;

    AccessRulesRefusedException(List<Map<String, String>> errors) {
        super(HttpStatus.BAD_REQUEST, problem(errors), null);
        this.errors = errors;
    }

    /** The same refusal for rules given as a field of a larger body: {@code allow[0]} becomes {@code access.allow[0]}. */
    AccessRulesRefusedException within(String field) {
        return new AccessRulesRefusedException(errors.stream()
                .map(error -> Map.of("field", field + "." + error.get("field"), "message", error.get("message")))
                .toList());
    }

    private static ProblemDetail problem(List<Map<String, String>> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, String.join("; ",
                errors.stream().map(error -> error.get("field") + " " + error.get("message")).toList()));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }
}
