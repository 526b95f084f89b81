package org.selfhostedgateway.link;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Visitor access rules per link: replaces them whole (audited, old and new, never a hash). The data plane follows
 * after commit through {@link LinkChanged} and reads the rules through {@link DataPlaneLinks#ipRules()}.
 */
@Service
public class LinkAccessRules {

    private static final Logger log = LoggerFactory.getLogger(LinkAccessRules.class);
    private static final int WRITE_ATTEMPTS = 5;

    private final LinkRepository links;
    private final AccessRulesPolicy policy;
    private final ApplicationEventPublisher events;
    private final LinkService linkService;
    private final Clock clock;
    private final TransactionTemplate transaction;

    LinkAccessRules(LinkRepository links, AccessRulesPolicy policy, ApplicationEventPublisher events,
            LinkService linkService, Clock clock, PlatformTransactionManager transactions) {
        this.links = links;
        this.policy = policy;
        this.events = events;
        this.linkService = linkService;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Replaces a link's rules with these and answers as getLink does, with {@code homeUpdate}: IP rules take effect
     * at the gateway at once, basic-auth users once the home side runs the new snippet.
     */
    public LinkResponse replace(String id, AccessRulesRequest request) {
        // Checked and hashed before any row is read or locked: bcrypt takes its time on purpose.
        AccessRulesPolicy.Checked checked = policy.check(request);
        for (int attempt = 1; ; attempt++) {
            try {
                String homeUpdate = transaction.execute(status -> replaceOnce(id, checked));
                return LinkService.withHomeUpdate(linkService.get(id), homeUpdate);
            }
            catch (OptimisticLockingFailureException concurrentChange) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw concurrentChange;
                }
            }
        }
    }

    private String replaceOnce(String id, AccessRulesPolicy.Checked checked) {
        Link link = links.findById(id).orElseThrow(() -> new LinkNotFoundException(id));
        AccessRules before = link.getAccessRules();
        AccessRules after = checked.resolve(before);
        if (before.equals(after)) {
            return "Nothing changed.";
        }
        link.replaceAccessRules(after, Link.storedNow(clock));
        links.flush();
        events.publishEvent(new LinkChanged(id, link.getFqdn(), LinkChanged.Kind.ACCESS_RULES_CHANGED,
                AccessRules.describeChange(before, after)));
        log.info("Link {} ({}) has new access rules: {} allowed, {} denied, basic-auth users {}", id, link.getFqdn(),
                after.allow().size(), after.deny().size(), after.usernames());
        return homeUpdate(link, before, after);
    }

    private static String homeUpdate(Link link, AccessRules before, AccessRules after) {
        boolean ipChanged = !before.allow().equals(after.allow()) || !before.deny().equals(after.deny());
        String ip = ipChanged ? "The IP rules are in force at the gateway at once (an NGINX reload; other "
                + "connections stay up). " : "";
        if (before.users().equals(after.users())) {
            return ip + "Nothing to do at home.";
        }
        return ip + "The home side must take the new basic-auth users: replace the service "
                + ComposeSnippets.serviceName(link) + " with the compose snippet (its LINK_BASIC_AUTH changed), with a "
                + "client-link image that reads it (scripts/install-home.sh), and run docker compose up -d. Until then "
                + "the home side asks for the users it had" + (before.users().isEmpty() ? " (none)." : ".");
    }
}
