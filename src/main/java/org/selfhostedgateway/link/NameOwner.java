package org.selfhostedgateway.link;

/** A name and the link that holds it (its id and main fqdn). */
record NameOwner(String name, String ownerId, String ownerFqdn) {
}
