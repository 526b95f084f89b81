package org.selfhostedgateway.link;

import io.swagger.v3.oas.annotations.media.Schema;

/** How a link's home side learns who the visitor is. */
@Schema(description = "PROXY_PROTOCOL: the gateway tells the home side each visitor's address (PROXY protocol on "
        + "443, X-Real-IP on 80) and the service sees it in X-Forwarded-For and X-Real-IP; its snippet sets "
        + "GATEWAY_PROXY_PROTOCOL=on. NONE: links made before the gateway could; the service sees the gateway's "
        + "tunnel address (10.231.0.1), and the home side runs the snippet it already has")
public enum VisitorAddress {
    PROXY_PROTOCOL,
    NONE
}
