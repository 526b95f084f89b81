package org.selfhostedgateway.link;

import java.time.Instant;

/** A stored link without keys, for those who watch links (health, metrics). */
public record LinkSummary(String linkId, String fqdn, LinkState state, String clientEndpoint, Instant createdAt) {
}
