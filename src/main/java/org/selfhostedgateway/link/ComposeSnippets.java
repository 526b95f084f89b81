package org.selfhostedgateway.link;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.selfhostedgateway.keys.KeyVault;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose service a user pastes under {@code services:} on the home server. Written by SnakeYAML so that every
 * value is quoted exactly as YAML needs, whatever it holds.
 */
@Component
class ComposeSnippets {

    /** Where Caddy keeps certificates inside the client link: a bind mount keeps them across recreation. */
    static final String CADDY_DATA = "/data";

    private final LinkProperties properties;
    private final KeyVault keyVault;
    private final Yaml yaml;

    ComposeSnippets(LinkProperties properties, KeyVault keyVault) {
        this.properties = properties;
        this.keyVault = keyVault;
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(Integer.MAX_VALUE);
        this.yaml = new Yaml(options);
    }

    /**
     * The snippet; with the client private key the gateway generated only when {@code withClientPrivateKey}, else
     * with a variable that compose insists on, whose message says who can read the key.
     */
    String render(Link link, boolean withClientPrivateKey) {
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("LINK_DOMAIN", linkDomain(link));
        environment.put("EXPOSE", link.getExpose());
        if (link.getEncryptedClientPrivateKey() != null && withClientPrivateKey) {
            environment.put("GATEWAY_CLIENT_WG_PRIVKEY", keyVault.decrypt(link.getEncryptedClientPrivateKey()));
        }
        else if (link.getEncryptedClientPrivateKey() != null) {
            environment.put("GATEWAY_CLIENT_WG_PRIVKEY", "${GATEWAY_CLIENT_WG_PRIVKEY:?set the private key that "
                    + "the gateway generated for " + link.getClientPublicKey() + ": only the admin"
                    + (link.getCreatedByTokenId() == null ? "" : " and " + link.getCreatedBy()
                    + ", which created the link,") + " can read it}");
        }
        else {
            // The user made the key pair: compose refuses to start until they supply the private key themselves.
            environment.put("GATEWAY_CLIENT_WG_PRIVKEY",
                    "${GATEWAY_CLIENT_WG_PRIVKEY:?set the private key that belongs to " + link.getClientPublicKey()
                            + "}");
        }
        environment.put("GATEWAY_LINK_WG_PUBKEY", link.getGatewayPublicKey());
        environment.put("GATEWAY_ENDPOINT", properties.endpoint(link.getUdpPort()));
        String ports = homePorts(link.getPorts());
        if (!ports.isEmpty()) {
            environment.put("LINK_PORTS", ports);
        }
        boolean proxyProtocol = link.getVisitorAddress() == VisitorAddress.PROXY_PROTOCOL;
        if (proxyProtocol) {
            environment.put("GATEWAY_PROXY_PROTOCOL", "on");
        }
        String basicAuth = homeBasicAuth(link.getAccessRules());
        if (!basicAuth.isEmpty()) {
            environment.put("LINK_BASIC_AUTH", basicAuth);
        }

        Map<String, Object> service = new LinkedHashMap<>();
        service.put("image", properties.clientImage());
        service.put("restart", "unless-stopped");
        service.put("environment", environment);
        service.put("cap_add", List.of("NET_ADMIN"));
        service.put("devices", List.of("/dev/net/tun:/dev/net/tun"));
        service.put("volumes", List.of("./link-data/" + link.getFqdn() + ":" + CADDY_DATA));
        if (proxyProtocol) {
            // A visitor's IPv6 address reaches Caddy over ::1, which Docker leaves off in containers.
            service.put("sysctls", Map.of("net.ipv6.conf.lo.disable_ipv6", 0));
        }

        return yaml.dump(Map.of(serviceName(link), service));
    }

    /** The client-link's LINK_PORTS: each public port or range and the host:port at home it goes to. */
    static String homePorts(List<PortMapping> ports) {
        return ports.stream().map(PortMapping::homeEntry)
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** The client-link's LINK_DOMAIN: the main fqdn first, then each alias; Caddy serves (and certifies) each. */
    static String linkDomain(Link link) {
        List<String> names = new java.util.ArrayList<>(List.of(link.getFqdn()));
        names.addAll(link.getAliases());
        return String.join(",", names);
    }

    /**
     * The client-link's LINK_BASIC_AUTH: "name:hash" separated by spaces, each hash the base64 of its bcrypt text, which
     * Caddy 2.6's basicauth takes as it is. Base64 has no $, which compose would read as a variable
     * and which the home agent and docker run would not unescape alike.
     */
    static String homeBasicAuth(AccessRules rules) {
        return rules.users().stream().map(user -> user.username() + ":" + java.util.Base64.getEncoder()
                .encodeToString(user.bcryptHash().getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** One compose file can hold several links, so each service is named after its fqdn. */
    static String serviceName(Link link) {
        return "link-" + link.getFqdn().replace('.', '-');
    }
}
