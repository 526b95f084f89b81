package org.selfhostedgateway.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The request carried no bearer token, or not one we know. */
class AuthenticationRequiredException extends ErrorResponseException {

    AuthenticationRequiredException(String detail) {
        super(HttpStatus.UNAUTHORIZED, problem(detail), null);
        getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"selfhosted-gateway\"");
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
        problem.setTitle("Authentication required");
        return problem;
    }
}
