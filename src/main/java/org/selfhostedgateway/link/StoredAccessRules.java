package org.selfhostedgateway.link;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** The columns of a link's access rules (V12); all null when the link has none. Never leaves the link package. */
@Embeddable
class StoredAccessRules {

    @Column(name = "access_allow", length = 12000)
    private String allow;

    @Column(name = "access_deny", length = 12000)
    private String deny;

    /** "name:bcrypt-hash", one a line. */
    @Column(name = "access_basic_auth", length = 4000)
    private String basicAuth;

    protected StoredAccessRules() {
    }

    StoredAccessRules(AccessRules rules) {
        this.allow = AccessRules.joinCidrs(rules.allow());
        this.deny = AccessRules.joinCidrs(rules.deny());
        this.basicAuth = AccessRules.joinUsers(rules.users());
    }

    AccessRules rules() {
        return new AccessRules(AccessRules.splitCidrs(allow), AccessRules.splitCidrs(deny),
                AccessRules.splitUsers(basicAuth));
    }
}
