package org.selfhostedgateway.link;

import java.util.Optional;

/** Serving checks of links: the last result is kept in memory, so reading it is free; a check on demand is not. */
public interface LinkServingSource {

    Optional<LinkServingView> serving(String linkId);

    /** Checks the link now (DNS, TLS, HTTP; up to a few timeouts) and keeps the result. */
    LinkServingView checkNow(String linkId);
}
