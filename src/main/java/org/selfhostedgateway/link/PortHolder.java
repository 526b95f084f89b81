package org.selfhostedgateway.link;

/** A public port held by a stored link. */
record PortHolder(String linkId, String fqdn, int port) {
}
