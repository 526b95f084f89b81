package org.selfhostedgateway.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** The shape of every error body (RFC 9457), for the API description only: responses are ProblemDetail. */
@Schema(name = "Problem", description = "RFC 9457 problem details")
record Problem(
        @Schema(description = "A URI that names the kind of problem", example = "about:blank") String type,
        @Schema(description = "Short summary of the kind of problem", example = "Invalid request") String title,
        @Schema(description = "The HTTP status code", example = "400") int status,
        @Schema(description = "What went wrong this time, in words a person can act on") String detail,
        @Schema(description = "The request path that failed", example = "/links") String instance,
        @Schema(description = "For 400s from validation: each field that was refused, and why")
        List<FieldProblem> errors,
        @Schema(description = "For a 409 from POST /links: the id of the link that already has this fqdn")
        String linkId) {

    @Schema(name = "FieldProblem")
    record FieldProblem(
            @Schema(example = "fqdn") String field,
            @Schema(example = "must be a host name such as app.example.com") String message) {
    }
}
