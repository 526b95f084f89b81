package org.selfhostedgateway.link;

import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One public port a link takes; its table's primary key keeps each port to one link. */
@Embeddable
class LinkPublicPort {

    @Column(nullable = false)
    private String protocol;

    @Column(nullable = false)
    private int port;

    protected LinkPublicPort() {
    }

    LinkPublicPort(String protocol, int port) {
        this.protocol = protocol;
        this.port = port;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinkPublicPort that && port == that.port && Objects.equals(protocol, that.protocol);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, port);
    }
}
