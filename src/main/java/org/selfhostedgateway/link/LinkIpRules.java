package org.selfhostedgateway.link;

import java.util.List;

/** A link's IP rules as the gateway's NGINX enforces them: only links that have some are listed. */
public record LinkIpRules(String linkId, List<Cidr> allow, List<Cidr> deny) {

    public LinkIpRules {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /** From the stored columns (a JPQL constructor expression). */
    LinkIpRules(String linkId, String allow, String deny) {
        this(linkId, AccessRules.splitCidrs(allow), AccessRules.splitCidrs(deny));
    }
}
