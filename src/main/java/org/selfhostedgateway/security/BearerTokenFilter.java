package org.selfhostedgateway.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.selfhostedgateway.tokens.NamedTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The API's only way in: {@code Authorization: Bearer <token>}, the admin token or a named token. Nothing is kept
 * between requests. Refusals go through the application's one problem-details handler, so a 401 looks like every
 * other error. Only a token that was presented and is wrong counts as a failure for {@link FailedAttempts}, and only
 * such failures are refused by it.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final String BEARER = "Bearer ";

    private final ApiTokens adminToken;
    private final NamedTokens namedTokens;
    private final FailedAttempts failures;
    private final HandlerExceptionResolver problems;
    private final boolean sessionMayAuthenticate;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    /**
     * @param sessionMayAuthenticate true where the signed-in admin's session also lets a request in (the API
     * description): a request without a token then goes on, and authorisation decides
     */
    BearerTokenFilter(ApiTokens adminToken, NamedTokens namedTokens, FailedAttempts failures,
            HandlerExceptionResolver problems, boolean sessionMayAuthenticate) {
        this.adminToken = adminToken;
        this.namedTokens = namedTokens;
        this.failures = failures;
        this.problems = problems;
        this.sessionMayAuthenticate = sessionMayAuthenticate;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isHealth(request)) {
            healthWithOptionalToken(request, response, chain);
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null && sessionMayAuthenticate) {
            chain.doFilter(request, response);
            return;
        }
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            reject(request, response, new AuthenticationRequiredException("Send a token as 'Authorization: Bearer "
                    + "<token>': the admin token (GATEWAY_API_TOKEN, or the api-token file in the gateway's data "
                    + "directory) or a named API token."));
            return;
        }
        String token = header.substring(BEARER.length()).trim();
        if (token.isEmpty()) {
            reject(request, response, new AuthenticationRequiredException("The bearer token is empty."));
            return;
        }
        Optional<UsernamePasswordAuthenticationToken> principal = authenticate(token);
        if (principal.isEmpty()) {
            // Only failures are slowed down: a valid token (256 bits, not guessable) is never refused by the limit,
            // so nobody can lock the admin out by sending bad tokens from the admin's address.
            String address = request.getRemoteAddr();
            try {
                failures.checkAllowed(address);
            }
            catch (TooManyAttemptsException refused) {
                reject(request, response, refused);
                return;
            }
            failures.recordFailure(address);
            log.warn("Refused an invalid bearer token from {} for {} {}", address, request.getMethod(),
                    request.getRequestURI());
            reject(request, response, new AuthenticationRequiredException("The bearer token is not valid."));
            return;
        }
        continueAs(principal.get(), request, response, chain);
    }

    /**
     * Health answers everyone (probes carry no token); a valid token only adds details. A wrong one still counts as
     * a failure, and a blocked address gets no details, so health cannot be used to guess tokens.
     */
    private void healthWithOptionalToken(HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : "";
        if (token.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<UsernamePasswordAuthenticationToken> principal = authenticate(token);
        if (principal.isEmpty()) {
            failures.recordFailureUnlessBlocked(request.getRemoteAddr());
            chain.doFilter(request, response);
            return;
        }
        continueAs(principal.get(), request, response, chain);
    }

    private void continueAs(UsernamePasswordAuthenticationToken principal, HttpServletRequest request,
            HttpServletResponse response, FilterChain chain) throws ServletException, IOException {
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(principal);
        contexts.setContext(context);
        try {
            chain.doFilter(request, response);
        }
        finally {
            contexts.clearContext();
        }
    }

    private static boolean isHealth(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    private Optional<UsernamePasswordAuthenticationToken> authenticate(String token) {
        if (adminToken.isAdminToken(token)) {
            return Optional.of(principal(Actors.ADMIN_TOKEN, Actors.ROLE_ADMIN));
        }
        return namedTokens.authenticate(token).map(named -> {
            UsernamePasswordAuthenticationToken principal = principal(Actors.namedToken(named.name()),
                    Actors.ROLE_API);
            principal.setDetails(new Actors.NamedToken(named.id()));
            return principal;
        });
    }

    private static UsernamePasswordAuthenticationToken principal(String name, String role) {
        return UsernamePasswordAuthenticationToken.authenticated(name, null, List.of(new SimpleGrantedAuthority(role)));
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, ErrorResponseException problem) {
        problems.resolveException(request, response, null, problem);
    }
}
