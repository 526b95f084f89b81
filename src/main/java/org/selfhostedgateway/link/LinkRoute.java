package org.selfhostedgateway.link;

/** One line of the NGINX map: traffic for this fqdn goes to this link, with or without a PROXY line. */
public record LinkRoute(String fqdn, String linkId, VisitorAddress visitorAddress) {
}
