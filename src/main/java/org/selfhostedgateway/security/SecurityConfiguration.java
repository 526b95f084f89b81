package org.selfhostedgateway.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.selfhostedgateway.tokens.NamedTokens;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Two ways in. The page ({@link #PAGE_PATHS}) signs the admin in once and keeps a session with a CSRF token on every
 * form. Everything else is the API: a bearer token on every request, no session, no cookie, and refusals as problem
 * details.
 */
@Configuration
@EnableWebSecurity
class SecurityConfiguration {

    static final String[] PAGE_PATHS = {"/", "/login", "/logout", "/ui/**"};

    /** The API description and Swagger UI: read with a bearer token, or from the signed-in admin's session. */
    static final String[] DOCS_PATHS = {"/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
        "/swagger-ui/**"};

    /** Only our own scripts and styles, no frames, forms only to us: the page needs nothing else. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Bean
    CsrfTokenRepository csrfTokens() {
        return new HttpSessionCsrfTokenRepository();
    }

    @Bean
    SecurityContextRepository pageSecurityContexts() {
        return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(),
                new HttpSessionSecurityContextRepository());
    }

    @Bean
    RequestCache pageRequests() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setMatchingRequestParameterName(null);
        return cache;
    }

    @Bean
    @Order(1)
    SecurityFilterChain pageChain(HttpSecurity http, CsrfTokenRepository csrfTokens,
            SecurityContextRepository pageSecurityContexts, RequestCache pageRequests, SignIn signIn) {
        http.securityMatcher(PAGE_PATHS)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/ui/assets/**").permitAll()
                        .anyRequest().hasAuthority(Actors.ROLE_ADMIN))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens).csrfTokenRequestHandler(new FormOnlyCsrfTokens()))
                .securityContext(context -> context.securityContextRepository(pageSecurityContexts))
                .requestCache(cache -> cache.requestCache(pageRequests))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(signInPage()))
                .logout(logout -> logout.logoutUrl("/logout")
                        .addLogoutHandler((LogoutHandler) signIn::signedOut)
                        .logoutSuccessUrl("/login?signed-out")
                        .deleteCookies(SignIn.SESSION_COOKIE))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable());
        return http.build();
    }

    /**
     * Swagger UI and the description it reads, for a bearer token or the signed-in admin's session. The session only
     * reads here (GETs, no CSRF needed); Swagger UI's "Try it out" calls the API, which takes bearer tokens only,
     * so a session can never be ridden into a write.
     */
    @Bean
    @Order(2)
    SecurityFilterChain docsChain(HttpSecurity http, ApiTokens adminToken, NamedTokens namedTokens,
            FailedAttempts failures, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems,
            SecurityContextRepository pageSecurityContexts) {
        BearerTokenFilter bearer = new BearerTokenFilter(adminToken, namedTokens, failures, problems, true);
        AuthenticationEntryPoint signIn = signInPage();
        bearerTokensOnly(http.securityMatcher(DOCS_PATHS), bearer)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, DOCS_PATHS).authenticated()
                        .anyRequest().denyAll())
                .securityContext(context -> context.securityContextRepository(
                        new ReadOnlySessionContexts(pageSecurityContexts)))
                .sessionManagement(sessions -> sessions.disable())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) -> {
                            String accept = request.getHeader(HttpHeaders.ACCEPT);
                            if (accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)) {
                                signIn.commence(request, response, e);
                            }
                            else {
                                problems.resolveException(request, response, null,
                                        new AuthenticationRequiredException("Send a bearer token, or sign in to "
                                                + "the page first."));
                            }
                        })
                        .accessDeniedHandler((request, response, e) -> problems.resolveException(request, response,
                                null, new AccessForbiddenException())));
        return http.build();
    }

    /** A bearer token on every request; none of a browser's sign-in machinery (forms, CSRF, saved requests). */
    private static HttpSecurity bearerTokensOnly(HttpSecurity http, BearerTokenFilter bearer) {
        return http.addFilterBefore(bearer,
                        org.springframework.security.web.authentication.AnonymousAuthenticationFilter.class)
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable());
    }

    /** Reads the signed-in admin from the page's session; never writes one, so a bearer token makes no session. */
    private record ReadOnlySessionContexts(SecurityContextRepository sessions) implements SecurityContextRepository {

        @Override
        @SuppressWarnings("deprecation")
        public SecurityContext loadContext(HttpRequestResponseHolder holder) {
            return sessions.loadContext(holder);
        }

        @Override
        public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
            return sessions.loadDeferredContext(request);
        }

        @Override
        public void saveContext(SecurityContext context, HttpServletRequest request,
                HttpServletResponse response) {
            // Read-only: the page's sign-in is the only place a session is written.
        }

        @Override
        public boolean containsContext(HttpServletRequest request) {
            return sessions.containsContext(request);
        }
    }

    /** Relative, so that the Host header a client sent is never echoed into a Location. */
    private static AuthenticationEntryPoint signInPage() {
        LoginUrlAuthenticationEntryPoint entryPoint = new LoginUrlAuthenticationEntryPoint("/login");
        entryPoint.setFavorRelativeUris(true);
        return entryPoint;
    }

    @Bean
    @Order(3)
    SecurityFilterChain apiChain(HttpSecurity http, ApiTokens adminToken, NamedTokens namedTokens,
            FailedAttempts failures, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        BearerTokenFilter bearer = new BearerTokenFilter(adminToken, namedTokens, failures, problems, false);
        bearerTokensOnly(http, bearer).authorizeHttpRequests(requests -> requests
                        // Errors are rendered after the request was refused or served: nothing to protect there.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/tokens", "/tokens/**", "/audit", "/audit/**")
                        .hasAuthority(Actors.ROLE_ADMIN)
                        .anyRequest().authenticated())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(
                        new RequestAttributeSecurityContextRepository()))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) -> problems.resolveException(request,
                                response, null, new AuthenticationRequiredException("Send a bearer token.")))
                        .accessDeniedHandler((request, response, e) -> problems.resolveException(request, response,
                                null, new AccessForbiddenException())));
        return http.build();
    }
}
