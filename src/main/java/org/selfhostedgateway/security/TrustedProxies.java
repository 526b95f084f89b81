package org.selfhostedgateway.security;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Behind a TLS-terminating proxy, believe its X-Forwarded-For and X-Forwarded-Proto, and only its: then the client
 * address that failed attempts are counted by and the audit log shows is the real one, and the session cookie is
 * marked Secure because the request counts as HTTPS. Headers from anyone else are ignored, so they cannot be used
 * to dodge the limit.
 */
@Component
class TrustedProxies implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    /** The gateway's own host: a proxy on the same machine. */
    static final String LOOPBACK = "127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|0:0:0:0:0:0:0:1|::1";

    private final String proxies;

    TrustedProxies(GatewaySecurityProperties properties) {
        this.proxies = StringUtils.hasText(properties.trustedProxies()) ? properties.trustedProxies() : LOOPBACK;
        try {
            Pattern.compile(proxies);
        }
        catch (PatternSyntaxException e) {
            throw new IllegalStateException("gateway.security.trusted-proxies (GATEWAY_TRUSTED_PROXIES) must be a "
                    + "regular expression of proxy addresses, such as 172\\.18\\.0\\.\\d+: " + e.getMessage(), e);
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        RemoteIpValve valve = new RemoteIpValve();
        valve.setInternalProxies(proxies);
        valve.setTrustedProxies("");
        valve.setRemoteIpHeader("X-Forwarded-For");
        valve.setProtocolHeader("X-Forwarded-Proto");
        valve.setProtocolHeaderHttpsValue("https");
        factory.addEngineValves(valve);
    }
}
