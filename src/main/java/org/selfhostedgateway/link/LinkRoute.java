package org.selfhostedgateway.link;

/** One line of the NGINX map: traffic for this fqdn goes to this link. */
public record LinkRoute(String fqdn, String linkId) {
}
