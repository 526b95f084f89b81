package org.selfhostedgateway.security;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The names principals go by: the audit log shows them as the actor. */
public final class Actors {

    public static final String ADMIN_TOKEN = "admin token";
    public static final String SIGNED_IN_ADMIN = "admin (signed in)";

    /** The owner of what the admin token or the signed-in admin made: the same person either way. */
    public static final String ADMIN = "admin";

    static final String ROLE_ADMIN = "ROLE_ADMIN";
    static final String ROLE_API = "ROLE_API";

    private Actors() {
    }

    public static String namedToken(String name) {
        return "token " + name;
    }

    /** Is the current request the admin's (admin token or signed in)? */
    public static boolean isAdmin() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.isAuthenticated()
                && authentication.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(ROLE_ADMIN));
    }

    /** The id of the named token the current request carries, if it carries one. */
    public static Optional<String> namedTokenId() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getDetails() instanceof NamedToken token
                ? Optional.of(token.id()) : Optional.empty();
    }

    /** Who owns what the current request makes: {@link #ADMIN}, or {@code token <name>} for a named token. */
    public static Optional<String> owner() {
        if (isAdmin()) {
            return Optional.of(ADMIN);
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getDetails() instanceof NamedToken
                ? Optional.of(authentication.getName()) : Optional.empty();
    }

    /** The details of a request authenticated with a named token. */
    record NamedToken(String id) {
    }
}
