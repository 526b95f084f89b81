package org.selfhostedgateway.link;

import java.util.Optional;

/** The last known health of links, kept in memory by whoever measures it; reading it is free. */
public interface LinkHealthSource {

    Optional<LinkHealthView> health(String linkId);
}
