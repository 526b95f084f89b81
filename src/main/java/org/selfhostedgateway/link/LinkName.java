package org.selfhostedgateway.link;

import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * One host name of a stored link: its main fqdn at position 0, its aliases after it in the user's order. The
 * table's primary key is the name, so no name ever belongs to two links. Never leaves the link package.
 */
@Embeddable
class LinkName {

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private int position;

    protected LinkName() {
    }

    LinkName(String name, int position) {
        this.name = name;
        this.position = position;
    }

    String name() {
        return name;
    }

    int position() {
        return position;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinkName that && position == that.position && Objects.equals(name, that.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, position);
    }
}
