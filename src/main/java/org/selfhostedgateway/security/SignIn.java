package org.selfhostedgateway.security;

import java.net.URI;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.selfhostedgateway.audit.AuditAction;
import org.selfhostedgateway.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;

/**
 * Signs the admin in to the page and out again. Done here rather than by Spring's form login so that the page can
 * show refusals, including a 429 for an address that failed too often, in its own words.
 */
@Component
public class SignIn {

    /** The session cookie's name, as set in application.yml. */
    public static final String SESSION_COOKIE = "GATEWAY_SESSION";

    private static final Logger log = LoggerFactory.getLogger(SignIn.class);

    private final AdminSignIn admin;
    private final FailedAttempts failures;
    private final SecurityContextRepository contexts;
    private final RequestCache savedRequests;
    private final AuditLog audit;
    private final SessionAuthenticationStrategy newSession;

    SignIn(AdminSignIn admin, FailedAttempts failures, SecurityContextRepository pageSecurityContexts,
            RequestCache pageRequests, CsrfTokenRepository csrfTokens, AuditLog audit) {
        this.admin = admin;
        this.failures = failures;
        this.contexts = pageSecurityContexts;
        this.savedRequests = pageRequests;
        this.audit = audit;
        // A new session id and a new CSRF token at sign-in, so neither can have been planted beforehand.
        this.newSession = new CompositeSessionAuthenticationStrategy(java.util.List.of(
                new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(csrfTokens)));
    }

    /**
     * Where to go next when the secret is the admin token or password; empty when it is neither.
     *
     * @throws TooManyAttemptsException when this address failed too often lately; the admin token is let in all the
     * same (it cannot be guessed), a password is not even checked
     */
    public Optional<String> signIn(String secret, HttpServletRequest request, HttpServletResponse response) {
        String address = request.getRemoteAddr();
        String given = secret == null ? "" : secret;
        if (!admin.isAdminToken(given)) {
            failures.checkAllowed(address);
        }
        Authentication signedIn;
        try {
            signedIn = admin.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("admin", given));
        }
        catch (AuthenticationException refused) {
            failures.recordFailure(address);
            log.warn("Refused a sign-in from {}", address);
            return Optional.empty();
        }
        newSession.onAuthentication(signedIn, request, response);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(signedIn);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        audit.record(AuditAction.SIGNED_IN, "with the " + signedIn.getDetails(), null);
        SavedRequest saved = savedRequests.getRequest(request, response);
        savedRequests.removeRequest(request, response);
        return Optional.of(saved != null && saved.getMethod().equals("GET") ? pathOf(saved.getRedirectUrl()) : "/");
    }

    /** Only the path and query of where the admin was going: the host in the saved URL came from a header. */
    private static String pathOf(String savedUrl) {
        try {
            URI uri = URI.create(savedUrl);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }
        catch (IllegalArgumentException unreadable) {
            return "/";
        }
    }

    void signedOut(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (authentication != null) {
            audit.record(AuditAction.SIGNED_OUT, null, null);
        }
    }
}
