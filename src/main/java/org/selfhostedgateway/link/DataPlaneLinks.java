package org.selfhostedgateway.link;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.EntityManager;

import org.selfhostedgateway.keys.KeyVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data plane's one door into the link store (the reconciler, the NGINX publisher, the health sweeps): what it
 * must run, read in short read-only transactions, and what it found, each written to one row. Nothing here calls
 * Docker or NGINX, and no caller holds a transaction open while it does.
 */
@Service
public class DataPlaneLinks {

    private static final Logger log = LoggerFactory.getLogger(DataPlaneLinks.class);

    private final LinkRepository links;
    private final KeyVault keyVault;
    private final EntityManager entities;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final TransactionTemplate readOnly;

    DataPlaneLinks(LinkRepository links, KeyVault keyVault, EntityManager entities, Clock clock,
            PlatformTransactionManager transactions) {
        this.links = links;
        this.keyVault = keyVault;
        this.entities = entities;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** Every stored link as the data plane must run it, oldest first: the source of truth for containers. */
    public List<LinkDeployment> deployments() {
        List<Link> all = readOnly.execute(status -> links.findAllByOrderByCreatedAtAscFqdnAsc());
        return all.stream().map(this::deployment).toList();
    }

    /** One link as the data plane must run it; empty once it is deleted. */
    public Optional<LinkDeployment> deployment(String id) {
        return readOnly.execute(status -> links.findById(id)).map(this::deployment);
    }

    /** Every name of every stored link with the link's id, for the NGINX map; no keys are decrypted. */
    public List<LinkRoute> routes() {
        return readOnly.execute(status -> links.findAllNameRoutes());
    }

    /** The IP rules of every link that has some, by link id: what the gateway's NGINX enforces. */
    public List<LinkIpRules> ipRules() {
        return readOnly.execute(status -> entities.createQuery("select new org.selfhostedgateway.link.LinkIpRules("
                + "l.id, l.access.allow, l.access.deny) from Link l where l.access.allow is not null "
                + "or l.access.deny is not null order by l.id", LinkIpRules.class).getResultList());
    }

    /** Every stored link without keys, oldest first. */
    public List<LinkSummary> summaries() {
        return readOnly.execute(status -> links.findAllSummaries());
    }

    /** How many links are stored. */
    public int count() {
        return Math.toIntExact(readOnly.execute(status -> links.count()));
    }

    /**
     * Remembers where a link's client was last seen, so a recreated gateway-link can greet it first. Written only
     * when it changed; a link deleted meanwhile is left alone.
     */
    public void recordClientEndpoint(String id, String endpoint) {
        try {
            transaction.executeWithoutResult(status -> links.findById(id)
                    .filter(link -> !Objects.equals(link.getClientEndpoint(), endpoint))
                    .ifPresent(link -> link.seenAt(endpoint)));
        }
        catch (OptimisticLockingFailureException concurrentChange) {
            log.debug("Link {} changed meanwhile; its client endpoint is recorded on the next sweep", id);
        }
    }

    /** Records what the data plane found; a link deleted meanwhile is left alone. */
    public void changeState(String id, LinkState state, String reason) {
        try {
            recordState(id, state, reason);
        }
        catch (OptimisticLockingFailureException concurrentChange) {
            // Another thread recorded a state in the meantime, or the link was deleted: the later report wins.
            recordState(id, state, reason);
        }
    }

    private void recordState(String id, LinkState state, String reason) {
        transaction.executeWithoutResult(status -> links.findById(id).ifPresent(link -> {
            if (link.getState() != state || !Objects.equals(link.getStateReason(), reason)) {
                link.changeState(state, reason, Link.storedNow(clock));
                log.info("Link {} ({}) is {}{}", id, link.getFqdn(), state, reason == null ? "" : ": " + reason);
            }
        }));
    }

    private LinkDeployment deployment(Link link) {
        return new LinkDeployment(link.getId(), link.getFqdn(), link.getUdpPort(),
                keyVault.decrypt(link.getEncryptedGatewayPrivateKey()), link.getClientPublicKey(), link.getState(),
                link.getClientEndpoint(), link.getPorts(), link.getGatewayPublicKey());
    }
}
