package org.selfhostedgateway.security;

import java.util.List;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The page's sign-in: the admin token, or the admin password when one is configured. The password is kept only as
 * a salted hash; a value that is a hash already is used as it is.
 */
@Component
class AdminSignIn implements AuthenticationProvider {

    static final String WITH_TOKEN = "admin token";
    static final String WITH_PASSWORD = "password";

    private final ApiTokens tokens;
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final String passwordHash;

    AdminSignIn(ApiTokens tokens, GatewaySecurityProperties properties) {
        this.tokens = tokens;
        String password = properties.adminPassword();
        if (!StringUtils.hasLength(password)) {
            this.passwordHash = null;
        }
        else if (password.startsWith("{bcrypt}") || password.startsWith("{pbkdf2}")) {
            this.passwordHash = password;
        }
        else if (password.length() < 12) {
            throw new IllegalStateException("gateway.security.admin-password (GATEWAY_ADMIN_PASSWORD) must be at "
                    + "least 12 characters, or a {bcrypt} or {pbkdf2} hash of the password");
        }
        else {
            this.passwordHash = encoder.encode(password);
        }
    }

    boolean isAdminToken(String secret) {
        return tokens.isAdminToken(secret);
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String secret = attempt.getCredentials() == null ? "" : attempt.getCredentials().toString();
        String how;
        if (tokens.isAdminToken(secret)) {
            how = WITH_TOKEN;
        }
        else if (passwordHash != null && !secret.isEmpty() && encoder.matches(secret, passwordHash)) {
            how = WITH_PASSWORD;
        }
        else {
            throw new BadCredentialsException("Not the admin token or password");
        }
        UsernamePasswordAuthenticationToken admin = UsernamePasswordAuthenticationToken.authenticated(
                Actors.SIGNED_IN_ADMIN, null, List.of(new SimpleGrantedAuthority(Actors.ROLE_ADMIN)));
        admin.setDetails(how);
        return admin;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
