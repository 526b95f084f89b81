package org.selfhostedgateway.link;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One raw port entry of a stored link (a range is one entry). Never leaves the link package. */
@Embeddable
class LinkPort {

    @Column(nullable = false)
    private String protocol;

    @Column(name = "first_port", nullable = false)
    private int firstPort;

    @Column(name = "last_port", nullable = false)
    private int lastPort;

    @Column(nullable = false)
    private String target;

    @Column(name = "proxy_protocol")
    private String proxyProtocol;

    protected LinkPort() {
    }

    LinkPort(PortMapping mapping) {
        this.protocol = mapping.protocol();
        this.firstPort = mapping.publicPort();
        this.lastPort = mapping.lastPublicPort();
        this.target = mapping.target();
        this.proxyProtocol = mapping.proxyProtocol();
    }

    PortMapping mapping() {
        return new PortMapping(protocol, firstPort, lastPort == firstPort ? null : lastPort, target, proxyProtocol);
    }

    String protocol() {
        return protocol;
    }

    int firstPort() {
        return firstPort;
    }

    int lastPort() {
        return lastPort;
    }
}
