package org.selfhostedgateway.security;

/** The names principals go by: the audit log shows them as the actor. */
public final class Actors {

    public static final String ADMIN_TOKEN = "admin token";
    public static final String SIGNED_IN_ADMIN = "admin (signed in)";

    static final String ROLE_ADMIN = "ROLE_ADMIN";
    static final String ROLE_API = "ROLE_API";

    private Actors() {
    }

    public static String namedToken(String name) {
        return "token " + name;
    }
}
