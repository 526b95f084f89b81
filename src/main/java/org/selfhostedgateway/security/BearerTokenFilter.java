package org.selfhostedgateway.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Every endpoint but health needs {@code Authorization: Bearer <token>}. Refusals go through the application's one
 * problem-details handler, so a 401 looks like every other error.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final ApiTokens tokens;
    private final HandlerExceptionResolver problems;

    BearerTokenFilter(ApiTokens tokens, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            reject(request, response, "Send the admin token as 'Authorization: Bearer <token>'. It is "
                    + "GATEWAY_API_TOKEN, or the api-token file in the gateway's data directory.");
            return;
        }
        if (!tokens.isAdminToken(header.substring(BEARER.length()).trim())) {
            reject(request, response, "The bearer token is not valid.");
            return;
        }
        chain.doFilter(request, response);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String detail) {
        problems.resolveException(request, response, null, new AuthenticationRequiredException(detail));
    }
}
