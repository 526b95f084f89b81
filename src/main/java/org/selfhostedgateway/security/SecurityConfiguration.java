package org.selfhostedgateway.security;

import jakarta.servlet.DispatcherType;

import org.selfhostedgateway.tokens.NamedTokens;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
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
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .securityContext(context -> context.securityContextRepository(pageSecurityContexts))
                .requestCache(cache -> cache.requestCache(pageRequests))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(
                        new org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint(
                                "/login")))
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

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, ApiTokens adminToken, NamedTokens namedTokens,
            FailedAttempts failures, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        BearerTokenFilter bearer = new BearerTokenFilter(adminToken, namedTokens, failures, problems);
        http.authorizeHttpRequests(requests -> requests
                        // Errors are rendered after the request was refused or served: nothing to protect there.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/tokens", "/tokens/**", "/audit", "/audit/**")
                        .hasAuthority(Actors.ROLE_ADMIN)
                        .anyRequest().authenticated())
                .addFilterBefore(bearer,
                        org.springframework.security.web.authentication.AnonymousAuthenticationFilter.class)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(
                        new RequestAttributeSecurityContextRepository()))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) -> problems.resolveException(request,
                                response, null, new AuthenticationRequiredException("Send a bearer token.")))
                        .accessDeniedHandler((request, response, e) -> problems.resolveException(request, response,
                                null, new AccessForbiddenException())));
        return http.build();
    }
}
