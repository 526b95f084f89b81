package org.selfhostedgateway.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.selfhostedgateway.web.IpAddresses;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Behind a TLS-terminating proxy, believe its X-Forwarded-For and X-Forwarded-Proto, and only its: then the client
 * address that failed attempts are counted by and the audit log shows is the real one, and the session cookie is
 * marked Secure because the request counts as HTTPS. No proxy is trusted unless configured, not even one on this
 * host: behind an SSH tunnel every caller arrives from loopback, and any of them could then name any address.
 * Only a syntactically valid IP address counts; anything else leaves the peer's own address in place.
 */
@Component
class TrustedProxies implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";

    private final Pattern proxies;

    TrustedProxies(GatewaySecurityProperties properties) {
        if (!StringUtils.hasText(properties.trustedProxies())) {
            this.proxies = null;
            return;
        }
        try {
            this.proxies = Pattern.compile(properties.trustedProxies());
        }
        catch (PatternSyntaxException e) {
            throw new IllegalStateException("gateway.security.trusted-proxies (GATEWAY_TRUSTED_PROXIES) must be a "
                    + "regular expression of proxy addresses, such as 172\\.18\\.0\\.\\d+: " + e.getMessage(), e);
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (proxies != null) {
            factory.addEngineValves(new ForwardedClientValve(proxies));
        }
    }

    /**
     * The client address a trusted proxy reports: walking X-Forwarded-For from the right, the first address that is
     * not itself a trusted proxy. Entries further left were written by the client and are never believed.
     */
    static String clientAddress(String peer, List<String> forwardedFor, Pattern proxies) {
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        Collections.reverse(hops);
        String client = peer;
        for (String hop : hops) {
            if (!IpAddresses.isIpAddress(hop)) {
                return peer;
            }
            client = hop;
            if (!proxies.matcher(hop).matches()) {
                return hop;
            }
        }
        return client;
    }

    private static final class ForwardedClientValve extends ValveBase {

        private final Pattern proxies;

        private ForwardedClientValve(Pattern proxies) {
            super(true);
            this.proxies = proxies;
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            String peer = request.getRemoteAddr();
            if (peer == null || !proxies.matcher(peer).matches()) {
                getNext().invoke(request, response);
                return;
            }
            String peerHost = request.getRemoteHost();
            boolean wasSecure = request.isSecure();
            String scheme = request.getCoyoteRequest().scheme().toString();
            String client = clientAddress(peer, Collections.list(request.getHeaders(FORWARDED_FOR)), proxies);
            request.setRemoteAddr(client);
            request.setRemoteHost(client);
            String proto = request.getHeader(FORWARDED_PROTO);
            if (proto != null && proto.trim().toLowerCase(Locale.ROOT).equals("https")) {
                request.setSecure(true);
                request.getCoyoteRequest().scheme().setString("https");
            }
            try {
                getNext().invoke(request, response);
            }
            finally {
                request.setRemoteAddr(peer);
                request.setRemoteHost(peerHost);
                request.setSecure(wasSecure);
                request.getCoyoteRequest().scheme().setString(scheme);
            }
        }
    }
}
