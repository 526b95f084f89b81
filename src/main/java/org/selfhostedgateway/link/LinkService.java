package org.selfhostedgateway.link;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import org.selfhostedgateway.capacity.HostCapacity;
import org.selfhostedgateway.keys.KeyVault;
import org.selfhostedgateway.keys.WireGuardKeyPair;
import org.selfhostedgateway.keys.WireGuardKeys;
import org.selfhostedgateway.ports.PortAllocator;
import org.selfhostedgateway.security.Actors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, finds and deletes links. The database decides: a link exists when its row is committed, and the data
 * plane follows after commit through {@link LinkChanged}.
 */
@Service
public class LinkService {

    private static final Logger log = LoggerFactory.getLogger(LinkService.class);
    private static final int WRITE_ATTEMPTS = 5;

    private final LinkRepository links;
    private final PortAllocator ports;
    private final WireGuardKeys keys;
    private final KeyVault keyVault;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    private final ComposeSnippets snippets;
    private final LinkProperties properties;
    private final ObjectProvider<LinkHealthSource> health;
    private final HostCapacity capacity;
    private final ObjectProvider<LinkServingSource> serving;
    private final RawPorts rawPorts;
    private final LinkNames names;
    private final AccessRulesPolicy accessPolicy;

    /** Serialises port choice in this process; the unique constraints guard against anything else. */
    private final ReentrantLock createLock = new ReentrantLock();

    LinkService(LinkRepository links, PortAllocator ports, WireGuardKeys keys, KeyVault keyVault,
            ApplicationEventPublisher events, PlatformTransactionManager transactionManager, Clock clock,
            ComposeSnippets snippets, LinkProperties properties, ObjectProvider<LinkHealthSource> health,
            HostCapacity capacity, ObjectProvider<LinkServingSource> serving, RawPorts rawPorts, LinkNames names,
            AccessRulesPolicy accessPolicy) {
        this.links = links;
        this.ports = ports;
        this.keys = keys;
        this.keyVault = keyVault;
        this.events = events;
        this.transaction = new TransactionTemplate(transactionManager);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.clock = clock;
        this.snippets = snippets;
        this.properties = properties;
        this.health = health;
        this.capacity = capacity;
        this.serving = serving;
        this.rawPorts = rawPorts;
        this.names = names;
        this.accessPolicy = accessPolicy;
    }

    /**
     * The new link, or the existing one when the same fqdn was already linked to the same expose. The new link's
     * snippet carries the client private key; the existing one's only for those who may read it.
     */
    public CreateResult create(CreateLinkRequest request) {
        String fqdn = normalizeFqdn(request.fqdn());
        List<String> aliases = LinkNames.normalized(fqdn, request.aliasesOrNone());
        // Checked and hashed before the lock is taken: bcrypt takes its time on purpose.
        AccessRulesPolicy.Checked access = request.access() == null ? null
                : asAccessField(() -> accessPolicy.check(request.access()));
        DataIntegrityViolationException lastClash = null;
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            createLock.lock();
            try {
                return transaction.execute(status -> createOrReturnExisting(fqdn, aliases, request, access));
            }
            catch (DataIntegrityViolationException clash) {
                // Another writer took the fqdn or the port between our read and our insert: look again.
                lastClash = clash;
                log.debug("Link insert for {} clashed, attempt {}", fqdn, attempt);
            }
            finally {
                createLock.unlock();
            }
        }
        throw lastClash;
    }

    /** Access rules of a create body: refusals name their field as {@code access.allow[0]} and so on. */
    private static <T> T asAccessField(java.util.function.Supplier<T> accessCheck) {
        try {
            return accessCheck.get();
        }
        catch (AccessRulesRefusedException refused) {
            throw refused.within("access");
        }
    }

    private CreateResult createOrReturnExisting(String fqdn, List<String> aliases, CreateLinkRequest request,
            AccessRulesPolicy.Checked access) {
        Optional<Link> existing = links.findByFqdn(fqdn);
        if (existing.isPresent()) {
            // A repeated create is a create answer: the key only for whom a later read would show it, but (like
            // the first answer) not audited as a read, since the caller made or owns the link.
            Link link = sameLinkOrConflict(existing.get(), request);
            // No aliases asked (absent or empty, as generated clients send it) finds the link whatever its aliases.
            if (!aliases.isEmpty() && !aliases.equals(link.getAliases())) {
                throw new LinkConflictException(link.getFqdn(), link.getId(), "with aliases " + link.getAliases()
                        + ", not " + aliases + " (change them with PATCH /links/" + link.getId() + ")");
            }
            if (access != null) {
                requireSameRules(link, asAccessField(() -> access.resolve(link.getAccessRules())));
            }
            return new CreateResult(view(link, snippet(link, isAdminOrCreator(link))), false);
        }
        // Refused here, before anything is stored, rather than as a container the host cannot run.
        // A name that is another link's alias is taken as surely as its main name: a 409, never that link.
        names.requireFree(null, fqdn, aliases);
        capacity.requireRoomForAnotherLink(Math.toIntExact(links.count()));
        rawPorts.check(null, request.portsOrNone());
        AccessRules rules = access == null ? AccessRules.NONE
                : asAccessField(() -> access.resolve(AccessRules.NONE));
        int port = ports.allocate(links.findAllUdpPorts());
        WireGuardKeyPair gatewayKeys = keys.generate();
        String encryptedClientPrivateKey = null;
        String clientPublicKey = request.clientPublicKey();
        if (clientPublicKey == null) {
            WireGuardKeyPair clientKeys = keys.generate();
            encryptedClientPrivateKey = keyVault.encrypt(clientKeys.privateKey());
            clientPublicKey = clientKeys.publicKey();
        }
        Link link = new Link(UUID.randomUUID().toString(), fqdn, request.expose(), port,
                keyVault.encrypt(gatewayKeys.privateKey()), gatewayKeys.publicKey(), encryptedClientPrivateKey,
                clientPublicKey, now(), Actors.owner().orElse(null), Actors.namedTokenId().orElse(null),
                request.visitorAddressOrDefault());
        link.replacePorts(request.portsOrNone(), now());
        link.replaceAliases(aliases, now());
        if (!rules.equals(AccessRules.NONE)) {
            link.replaceAccessRules(rules, now());
        }
        links.saveAndFlush(link);
        // The audit entry names the rules it was made with (never a hash): "allow: [] -> [203.0.113.0/24]".
        events.publishEvent(new LinkChanged(link.getId(), fqdn, LinkChanged.Kind.CREATED,
                rules.equals(AccessRules.NONE) ? null : AccessRules.describeChange(AccessRules.NONE, rules)));
        log.info("Created link {} for {} -> {} on UDP port {}{}{}", link.getId(), fqdn, request.expose(), port,
                link.getPorts().isEmpty() ? "" : ", raw ports " + ComposeSnippets.homePorts(link.getPorts()),
                rules.equals(AccessRules.NONE) ? "" : ", access rules: " + rules.allow().size() + " allowed, "
                        + rules.deny().size() + " denied, basic-auth users " + rules.usernames());
        return new CreateResult(view(link, snippet(link, true)), true);
    }

    /** A repeated create may name the rules the link has; passwords are not compared (bcrypt salts each hash). */
    private static void requireSameRules(Link existing, AccessRules asked) {
        AccessRules stored = existing.getAccessRules();
        if (!stored.allow().equals(asked.allow()) || !stored.deny().equals(asked.deny())
                || !stored.usernames().equals(asked.usernames())) {
            throw new LinkConflictException(existing.getFqdn(), existing.getId(), "with other access rules ("
                    + (stored.equals(AccessRules.NONE) ? "none" : AccessRules.describeChange(AccessRules.NONE, stored))
                    + "; change them with PUT /links/" + existing.getId() + "/access)");
        }
    }

    private static Link sameLinkOrConflict(Link existing, CreateLinkRequest request) {
        if (!existing.getExpose().equals(request.expose())) {
            throw new LinkConflictException(existing.getFqdn(), existing.getId(),
                    "with expose " + existing.getExpose() + ", not " + request.expose());
        }
        if (request.clientPublicKey() != null
                && !Objects.equals(existing.getClientPublicKey(), request.clientPublicKey())) {
            throw new LinkConflictException(existing.getFqdn(), existing.getId(),
                    "with another client public key");
        }
        if (request.ports() != null && !request.ports().stream().map(PortMapping::normalized).toList()
                .equals(existing.getPorts())) {
            throw new LinkConflictException(existing.getFqdn(), existing.getId(),
                    "with other ports (change them with PUT /links/" + existing.getId() + "/ports)");
        }
        if (request.visitorAddress() != null && request.visitorAddress() != existing.getVisitorAddress()) {
            throw new LinkConflictException(existing.getFqdn(), existing.getId(),
                    "with visitorAddress " + existing.getVisitorAddress() + ", not " + request.visitorAddress());
        }
        return existing;
    }

    /** All links, oldest first, without snippets; or only the one with this fqdn. */
    public List<LinkResponse> list(String fqdn) {
        List<Link> found = readOnly.execute(status -> fqdn != null
                ? links.findByName(normalizeFqdn(fqdn)).stream().toList()
                : links.findAllByOrderByCreatedAtAscFqdnAsc());
        return found.stream().map(link -> view(link, null)).toList();
    }

    /**
     * One page of links for people, oldest first, without snippets; only those with a name that contains {@code filter}
     * when it is given. Pages count from 1; a page past the end is the last one.
     */
    public LinkPage page(String filter, int page, int size) {
        String part = filter == null ? "" : normalizeFqdn(filter.strip());
        Sort order = Sort.by("createdAt", "fqdn");
        Page<Link> found = readOnly.execute(status -> {
            Page<Link> first = find(part, PageRequest.of(Math.max(0, page - 1), size, order));
            return first.getNumber() > 0 && first.getNumber() >= first.getTotalPages()
                    ? find(part, PageRequest.of(Math.max(0, first.getTotalPages() - 1), size, order)) : first;
        });
        return new LinkPage(found.stream().map(link -> view(link, null)).toList(), found.getNumber() + 1,
                Math.max(1, found.getTotalPages()), found.getTotalElements(), part);
    }

    private Page<Link> find(String part, Pageable pageable) {
        return part.isEmpty() ? links.findAllBy(pageable) : links.findByAnyNameContaining(part, pageable);
    }

    /**
     * One link with its snippet, or a 404 problem. The snippet holds the client private key the gateway generated
     * only for the admin and the named token that created the link; each such read is audited.
     */
    public LinkResponse get(String id) {
        Link link = find(id);
        return view(link, auditedSnippet(link));
    }

    /** One link without its snippet (no private key is read), or a 404 problem. */
    public LinkResponse overview(String id) {
        return view(find(id), null);
    }

    /** Exactly the text to paste under services: on the home server; the private key as for {@link #get}. */
    public String compose(String id) {
        return auditedSnippet(find(id)).text();
    }

    private Snippet auditedSnippet(Link link) {
        Snippet snippet = snippet(link, isAdminOrCreator(link));
        if (snippet.withPrivateKey()) {
            events.publishEvent(new LinkPrivateKeyRead(link.getId(), link.getFqdn()));
        }
        return snippet;
    }

    private Snippet snippet(Link link, boolean mayReadPrivateKey) {
        boolean withPrivateKey = mayReadPrivateKey && link.getEncryptedClientPrivateKey() != null;
        return new Snippet(snippets.render(link, withPrivateKey), withPrivateKey);
    }

    /**
     * The admin, or the named token that created the link: who may read its client private key and speak for it (its
     * notice); nobody else, not even other named tokens.
     */
    static boolean isAdminOrCreator(Link link) {
        return Actors.isAdmin() || (link.getCreatedByTokenId() != null
                && Actors.namedTokenId().filter(link.getCreatedByTokenId()::equals).isPresent());
    }

    /**
     * Replaces a live link's raw ports: same keys, same UDP port, same snippet but for LINK_PORTS. Refused whole,
     * with nothing stored, when one entry cannot be given. The answer says what the home side must do.
     */
    public LinkResponse replacePorts(String id, List<PortMapping> requested) {
        DataIntegrityViolationException lastClash = null;
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            createLock.lock();
            try {
                return transaction.execute(status -> replacePortsOnce(id, requested));
            }
            catch (DataIntegrityViolationException | OptimisticLockingFailureException clash) {
                // A port taken, or the link changed, between our read and our write: look again.
                if (clash instanceof DataIntegrityViolationException integrity) {
                    lastClash = integrity;
                }
                else if (attempt == WRITE_ATTEMPTS) {
                    throw clash;
                }
            }
            finally {
                createLock.unlock();
            }
        }
        throw lastClash;
    }

    private LinkResponse replacePortsOnce(String id, List<PortMapping> requested) {
        Link link = links.findById(id).orElseThrow(() -> new LinkNotFoundException(id));
        List<PortMapping> before = link.getPorts();
        List<PortMapping> after = requested.stream().map(PortMapping::normalized).toList();
        rawPorts.check(id, after);
        if (!before.equals(after)) {
            link.replacePorts(after, now());
            links.flush();
            events.publishEvent(new LinkChanged(id, link.getFqdn(), LinkChanged.Kind.PORTS_CHANGED,
                    LinkChanged.change("ports", "[" + ComposeSnippets.homePorts(before) + "]",
                            "[" + ComposeSnippets.homePorts(after) + "]")));
            log.info("Link {} ({}) now has the raw ports [{}]", id, link.getFqdn(),
                    ComposeSnippets.homePorts(link.getPorts()));
        }
        Snippet snippet = auditedSnippet(link);
        LinkResponse view = view(link, snippet);
        return withHomeUpdate(view, homeUpdate(link, before, after));
    }

    /** What the home side must do after a change of ports: only new targets need its snippet. */
    private static String homeUpdate(Link link, List<PortMapping> before, List<PortMapping> after) {
        if (before.equals(after)) {
            return "Nothing changed.";
        }
        // The home side knows each public port's target, nothing else (a PROXY header is the gateway's business).
        if (before.stream().map(PortMapping::homeEntry).toList()
                .containsAll(after.stream().map(PortMapping::homeEntry).toList())) {
            return "Nothing to do at home: it already knows every port's target (removed ports closed on the gateway "
                    + "at once). The gateway side of the link restarted, so HTTPS paused for one reconnect.";
        }
        String ports = ComposeSnippets.homePorts(after);
        return "The home side must learn the new ports: replace the service " + ComposeSnippets.serviceName(link)
                + " with the compose snippet (or set its LINK_PORTS to '" + ports + "') and run docker compose up "
                + "-d. Its keys are unchanged; HTTPS pauses for one reconnect.";
    }

    static LinkResponse withHomeUpdate(LinkResponse view, String homeUpdate) {
        return new LinkResponse(view.id(), view.fqdn(), view.expose(), view.ports(), view.udpPort(),
                view.gatewayPublicKey(), view.clientPublicKey(), view.endpoint(), view.state(), view.visitorAddress(),
                view.stateReason(), view.createdAt(), view.createdBy(), view.compose(), view.health(), view.serving(),
                homeUpdate, view.aliases(), view.notice(), view.access(),
                view.keysRotatedAt());
    }

    /**
     * Moves a link to another visitor-address mode and answers as {@link #get} does, with the snippet that the home
     * side needs from now on. NGINX follows after commit; a link already in that mode is left as it is.
     */
    public LinkResponse changeVisitorAddress(String id, VisitorAddress mode) {
        transaction.executeWithoutResult(status -> {
            Link link = links.findById(id).orElseThrow(() -> new LinkNotFoundException(id));
            VisitorAddress before = link.getVisitorAddress();
            if (before != mode) {
                link.deliverVisitorAddress(mode, now());
                events.publishEvent(new LinkChanged(id, link.getFqdn(), LinkChanged.Kind.VISITOR_ADDRESS_CHANGED,
                        LinkChanged.change("visitorAddress", before, mode)));
                log.info("Link {} ({}) now has visitor address {}", id, link.getFqdn(), mode);
            }
        });
        return get(id);
    }

    /**
     * Sets or clears the note of the link's manager, for everyone who reads the link. Only the admin and the named
     * token that created the link may: a home agent explains its own links, nobody else's.
     */
    public LinkResponse changeNotice(String id, String notice) {
        String text = notice == null || notice.isBlank() ? null : notice.strip();
        for (int attempt = 1; ; attempt++) {
            try {
                transaction.executeWithoutResult(status -> {
                    Link link = links.findById(id).orElseThrow(() -> new LinkNotFoundException(id));
                    if (!isAdminOrCreator(link)) {
                        throw new NoticeForbiddenException(id);
                    }
                    if (!Objects.equals(link.getNotice(), text)) {
                        link.note(text);
                        log.info("Link {} ({}) {}", id, link.getFqdn(), text == null ? "has no notice any more"
                                : "has a notice from " + Actors.owner().orElse("its manager") + ": " + text);
                    }
                });
                return overview(id);
            }
            catch (OptimisticLockingFailureException concurrentChange) {
                // A state report came between our read and our write: read again.
                if (attempt == WRITE_ATTEMPTS) {
                    throw concurrentChange;
                }
            }
        }
    }

    public void delete(String id) {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteOnce(id);
                return;
            }
            catch (OptimisticLockingFailureException concurrentChange) {
                // A state update or another delete of this link came between our read and our delete: read again
                // (a link deleted meanwhile is then a 404, like any delete that comes second).
                if (attempt == WRITE_ATTEMPTS) {
                    throw concurrentChange;
                }
            }
        }
    }

    private void deleteOnce(String id) {
        transaction.executeWithoutResult(status -> {
            Link link = links.findById(id).orElseThrow(() -> new LinkNotFoundException(id));
            links.delete(link);
            links.flush();
            events.publishEvent(new LinkChanged(id, link.getFqdn(), LinkChanged.Kind.DELETED));
            log.info("Deleted link {} for {}, UDP port {} is free again", id, link.getFqdn(), link.getUdpPort());
        });
    }

    private Instant now() {
        return Link.storedNow(clock);
    }

    private Link find(String id) {
        return readOnly.execute(status -> links.findById(id).orElseThrow(() -> new LinkNotFoundException(id)));
    }

    private LinkResponse view(Link link, Snippet snippet) {
        return new LinkResponse(link.getId(), link.getFqdn(), link.getExpose(), link.getPorts(), link.getUdpPort(),
                link.getGatewayPublicKey(), link.getClientPublicKey(), properties.endpoint(link.getUdpPort()),
                link.getState(), link.getVisitorAddress(), link.getStateReason(), link.getCreatedAt(),
                link.getCreatedBy(),
                snippet == null ? null : snippet.text(), healthOf(link.getId()),
                servingOf(link.getId()), null, link.getAliases(), link.getNotice(),
                link.getAccessRules().view(), link.getKeysRotatedAt());
    }

    private record Snippet(String text, boolean withPrivateKey) {
    }

    private LinkHealthView healthOf(String id) {
        LinkHealthSource source = health.getIfAvailable();
        return source == null ? null : source.health(id).orElse(null);
    }

    private LinkServingView servingOf(String id) {
        LinkServingSource source = serving.getIfAvailable();
        return source == null ? null : source.serving(id).orElse(null);
    }

    static String normalizeFqdn(String fqdn) {
        return fqdn.toLowerCase(Locale.ROOT);
    }

    /**
     * Changes a link in place: its home target, its aliases and how it delivers the visitor's address; the id, the
     * UDP port and the keys stay. Each change is checked as at create and audited with its old and new value; NGINX
     * follows after commit (the gateway-link container stays as it is). The answer carries the new snippet and, when
     * the home side's settings changed, what it must do. A change of the visitor-address mode alone answers as
     * {@link #changeVisitorAddress} always did.
     */
    public LinkResponse edit(String id, UpdateLinkRequest request) {
        if (request.changesNothing()) {
            throw LinkEdits.nothingToChange();
        }
        if (request.expose() == null && request.aliases() == null) {
            return changeVisitorAddress(id, request.visitorAddress());
        }
        RuntimeException lastClash = null;
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            createLock.lock();
            try {
                return transaction.execute(status -> editOnce(id, request));
            }
            catch (DataIntegrityViolationException | OptimisticLockingFailureException clash) {
                // A name taken, or the link changed, between our read and our write: look again.
                lastClash = clash;
            }
            finally {
                createLock.unlock();
            }
        }
        throw lastClash;
    }

    private LinkResponse editOnce(String id, UpdateLinkRequest request) {
        Link link = links.findById(id).orElseThrow(() -> new LinkNotFoundException(id));
        String exposeBefore = link.getExpose();
        String exposeAfter = request.expose() == null ? exposeBefore : request.expose();
        List<String> aliasesBefore = link.getAliases();
        List<String> aliasesAfter = request.aliases() == null ? aliasesBefore
                : LinkNames.normalized(link.getFqdn(), request.aliases());
        if (!aliasesAfter.equals(aliasesBefore)) {
            names.requireFree(id, link.getFqdn(), aliasesAfter);
        }
        if (!exposeAfter.equals(exposeBefore)) {
            link.changeExpose(exposeAfter, now());
            events.publishEvent(new LinkChanged(id, link.getFqdn(), LinkChanged.Kind.EDITED,
                    LinkChanged.change("expose", exposeBefore, exposeAfter)));
            log.info("Link {} ({}) now exposes {}", id, link.getFqdn(), exposeAfter);
        }
        if (!aliasesAfter.equals(aliasesBefore)) {
            link.replaceAliases(aliasesAfter, now());
            events.publishEvent(new LinkChanged(id, link.getFqdn(), LinkChanged.Kind.EDITED,
                    LinkChanged.change("aliases", aliasesBefore, aliasesAfter)));
            log.info("Link {} ({}) now has the aliases {}", id, link.getFqdn(), aliasesAfter);
        }
        VisitorAddress mode = request.visitorAddress();
        boolean modeChanged = mode != null && mode != link.getVisitorAddress();
        if (modeChanged) {
            VisitorAddress before = link.getVisitorAddress();
            link.deliverVisitorAddress(mode, now());
            events.publishEvent(new LinkChanged(id, link.getFqdn(), LinkChanged.Kind.VISITOR_ADDRESS_CHANGED,
                    LinkChanged.change("visitorAddress", before, mode)));
            log.info("Link {} ({}) now has visitor address {}", id, link.getFqdn(), mode);
        }
        links.flush();
        LinkResponse view = view(link, auditedSnippet(link));
        return withHomeUpdate(view, LinkEdits.homeUpdate(ComposeSnippets.serviceName(link), !exposeAfter
                .equals(exposeBefore), !aliasesAfter.equals(aliasesBefore), modeChanged, exposeAfter,
                ComposeSnippets.linkDomain(link)));
    }

    /** The link as the API shows it, and whether this call made it (201) or found it (200). */
    public record CreateResult(LinkResponse link, boolean created) {
    }
}
