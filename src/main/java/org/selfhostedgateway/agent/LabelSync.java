package org.selfhostedgateway.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.selfhostedgateway.agent.ContainerLabels.Wish;
import org.selfhostedgateway.agent.Gateway.Refused;
import org.selfhostedgateway.agent.Gateway.Unavailable;
import org.selfhostedgateway.client.model.Caller;
import org.selfhostedgateway.client.model.Link;
import org.selfhostedgateway.client.model.PortMapping;
import org.selfhostedgateway.docker.DockerUnavailableException;
import org.selfhostedgateway.docker.HomeContainers;
import org.selfhostedgateway.docker.HomeContainers.ClientLinkContainer;
import org.selfhostedgateway.docker.HomeContainers.ClientLinkSpec;
import org.selfhostedgateway.docker.HomeContainers.LabelledContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * One pass from labels to links: what the labelled containers ask for, against the gateway's links and this
 * agent's client-links, changing only what differs. Every pass reads everything again (a missed event, an agent or
 * gateway restart lose nothing), and touches only links whose createdBy is this agent's token.
 */
class LabelSync {

    private static final Logger log = LoggerFactory.getLogger(HomeAgent.class);
    private static final String KEY_FILE = "/etc/selfhosted-gateway/client.key";
    private static final String CA_ROOT_FILE = "/etc/selfhosted-gateway/acme-ca-root.pem";
    private static final String PRIVATE_KEY = "GATEWAY_CLIENT_WG_PRIVKEY";

    private final Gateway gateway;
    private final HomeContainers docker;
    private final AgentSettings settings;
    /** The reason last logged per container, so a refusal is logged once per state, not once per pass. */
    private final Map<String, String> reported = new HashMap<>();
    /** Creates the gateway refused (a bad fqdn), per container and wish: not asked again until the labels change. */
    private final Map<String, String> refusedByGateway = new HashMap<>();
    private volatile List<ContainerRecord> records = List.of();
    private volatile String owner;

    LabelSync(Gateway gateway, HomeContainers docker, AgentSettings settings) {
        this.gateway = gateway;
        this.docker = docker;
        this.settings = settings;
    }

    /** What the agent made of each labelled container at the last pass: for the health endpoint. */
    record ContainerRecord(String container, String fqdn, String linkId, String status, String reason) {
    }

    List<ContainerRecord> records() {
        return records;
    }

    String owner() {
        return owner;
    }

    void pass() throws Unavailable {
        Caller caller = gateway.whoAmI();
        if (Boolean.TRUE.equals(caller.getAdmin())) {
            throw new Unavailable("the agent's token is the admin token: create a named token for the agent "
                    + "(README); with the admin token every link made by hand would count as the agent's");
        }
        owner = caller.getOwner();
        List<LabelledContainer> containers = new ArrayList<>(docker.withLabel(ContainerLabels.FQDN));
        Map<String, Link> linkByFqdn = new HashMap<>();
        List<Link> links = gateway.links();
        links.forEach(link -> linkByFqdn.put(link.getFqdn().toLowerCase(Locale.ROOT), link));
        Map<String, ClientLinkContainer> clients = new HashMap<>();
        docker.clientLinks(settings.agentId()).forEach(client -> clients.put(client.name(), client));

        // The newest container wins a name that several ask for: a recreated container replaces its old self.
        containers.sort(Comparator.comparing(LabelledContainer::created).reversed());
        Map<String, Wish> chosen = new LinkedHashMap<>();
        Set<String> held = new HashSet<>();
        // Why a name the agent holds on to is refused, for the notice on its link (the first reason wins).
        Map<String, String> heldBecause = new HashMap<>();
        List<ContainerRecord> now = new ArrayList<>();
        for (LabelledContainer container : containers) {
            Wish wish = ContainerLabels.read(container);
            if (!wish.refused() && chosen.containsKey(wish.fqdn())) {
                wish = new Wish(container, wish.fqdn(), List.of(), null, List.of(), ContainerLabels.Access.NONE, null,
                        "the newer container "
                        + chosen.get(wish.fqdn()).container().name() + " has the name " + wish.fqdn());
            }
            if (wish.refused()) {
                if (wish.fqdn() != null) {
                    held.add(wish.fqdn());
                    heldBecause.putIfAbsent(wish.fqdn(), notice(wish, wish.refusal()));
                }
                now.add(refused(wish, wish.refusal()));
                continue;
            }
            chosen.put(wish.fqdn(), wish);
        }

        Set<String> kept = new HashSet<>();
        for (Wish wish : chosen.values()) {
            try {
                Link link = ensureLink(wish, linkByFqdn.get(wish.fqdn()));
                kept.add(link.getId());
                // Taken out of the map: what is left there afterwards belongs to no wish and goes.
                ensureClientLink(wish, link, clients.remove(clientName(wish.fqdn())));
                now.add(serving(wish, link));
            }
            catch (Refused refusal) {
                held.add(wish.fqdn());
                heldBecause.putIfAbsent(wish.fqdn(), notice(wish, refusal.getMessage()));
                now.add(refused(wish, refusal.getMessage()));
            }
            catch (DockerUnavailableException e) {
                throw e;
            }
            catch (RuntimeException e) {
                // The engine answered but would not (an image missing, a name taken): this container only.
                held.add(wish.fqdn());
                String reason = "its client-link could not start: " + e.getMessage();
                heldBecause.putIfAbsent(wish.fqdn(), notice(wish, reason));
                now.add(refused(wish, reason));
            }
        }
        noteOnLinks(links, kept, heldBecause);

        for (ClientLinkContainer client : clients.values()) {
            if (!kept.contains(client.linkId()) && !held.contains(client.fqdn())) {
                docker.remove(client.id());
                log.info("client-link {} removed: no labelled container asks for {} any more", client.name(),
                        client.fqdn());
            }
        }
        for (Link link : links) {
            String fqdn = link.getFqdn().toLowerCase(Locale.ROOT);
            if (owner.equals(link.getCreatedBy()) && !kept.contains(link.getId()) && !held.contains(fqdn)
                    && !chosen.containsKey(fqdn)) {
                gateway.delete(link.getId());
                log.info("link {} for {} removed: no labelled container asks for it any more", link.getId(), fqdn);
            }
        }
        Set<String> present = new HashSet<>();
        containers.forEach(container -> present.add(container.id()));
        reported.keySet().retainAll(present);
        refusedByGateway.keySet().removeIf(key -> !present.contains(key.substring(0, key.indexOf(' '))));
        records = List.copyOf(now);
    }

    /** The agent's link for this wish: the one it has, or a new one (the old one goes when the wish changed). */
    private Link ensureLink(Wish wish, Link existing) throws Unavailable, Refused {
        if (existing != null) {
            if (!owner.equals(existing.getCreatedBy())) {
                throw new Refused(wish.fqdn() + " already has a link (" + existing.getId() + ") made by "
                        + (existing.getCreatedBy() == null ? "someone before owners were recorded"
                                : existing.getCreatedBy()) + ", not by this agent's token: the agent leaves it alone");
            }
            // Same keys and WireGuard port whatever changes: the client-link restarts with the snippet of the
            // answer (its EXPOSE, LINK_DOMAIN, LINK_PORTS), and nothing is pasted anywhere.
            Link current = existing;
            if (!wish.expose().equals(current.getExpose()) || !wish.aliases().equals(aliasesOf(current))) {
                current = gateway.edit(current.getId(), wish.expose(), wish.aliases());
                log.info("link {} for {} changed in place: now -> {} (container {})", current.getId(), wish.fqdn(),
                        describe(wish), wish.container().name());
            }
            if (!wish.ports().equals(current.getPorts())) {
                current = gateway.replacePorts(current.getId(), wish.ports());
                log.info("link {} for {} now has the raw ports [{}] (container {})", current.getId(), wish.fqdn(),
                        describe(wish.ports()), wish.container().name());
            }
            return current;
        }
        String key = wish.container().id() + " " + wish.fqdn() + " " + describe(wish);
        if (refusedByGateway.containsKey(key)) {
            throw new Refused(refusedByGateway.get(key));
        }
        Link made;
        try {
            made = gateway.create(wish.fqdn(), wish.aliases(), wish.expose(), wish.ports());
        }
        catch (Refused refusal) {
            refusedByGateway.put(key, "the gateway refused it: " + refusal.getMessage());
            throw new Refused(refusedByGateway.get(key));
        }
        if (!owner.equals(made.getCreatedBy())) {
            throw new Refused(wish.fqdn() + " already has a link (" + made.getId() + ") made by "
                    + made.getCreatedBy() + ", not by this agent's token: the agent leaves it alone");
        }
        log.info("link {} made for {} -> {} (container {})", made.getId(), wish.fqdn(), describe(wish),
                wish.container().name());
        return made;
    }

    /** Runs the link's client-link with the snippet's values, unless the right one already runs. */
    private void ensureClientLink(Wish wish, Link link, ClientLinkContainer existing) throws Unavailable, Refused {
        // The raw ports' targets are in the client-link's environment: new ones need a new client-link.
        // The access labels are in it too: the gateway shows no hashes, so a change is seen here, not on the link.
        String config = digest(link.getId(), wish.network(), link.getExpose(), String.join(",", aliasesOf(link)),
                describe(link.getPorts()), wish.access().toString(),
                settings.clientImage().orElse(""),
                settings.clientEnvironment().toString(),
                settings.acmeCaRoot().map(root -> new String(root, StandardCharsets.UTF_8)).orElse(""));
        if (existing != null && link.getId().equals(existing.linkId()) && config.equals(existing.config())) {
            if ("exited".equals(existing.state()) || "created".equals(existing.state())) {
                docker.start(existing.id());
                log.info("client-link {} started again for {}", existing.name(), wish.fqdn());
            }
            return;
        }
        if (!wish.access().none() || hasAccessRules(link)) {
            // Set whenever the client-link is (re)made, which a change of the access labels causes: IP rules take
            // effect at the gateway, basic-auth users through the new snippet's LINK_BASIC_AUTH.
            link = gateway.replaceAccess(link.getId(), wish.access());
            log.info("link {} for {}: access rules set ({} allowed, {} denied, basic-auth users {})", link.getId(),
                    wish.fqdn(), wish.access().allow().size(), wish.access().deny().size(),
                    wish.access().users().stream().map(Map.Entry::getKey).toList());
        }
        // Only a fresh create or change answers with the snippet; reading it later is audited on the gateway, so it
        // is read once per client-link start, never per pass.
        String compose = link.getCompose() != null ? link.getCompose() : gateway.compose(link.getId());
        Map<String, Object> service = service(compose);
        Map<String, String> environment = textMap(service.get("environment"));
        String key = environment.remove(PRIVATE_KEY);
        if (key == null || key.startsWith("$")) {
            throw new Refused("the gateway gives this agent's token no private key for link " + link.getId()
                    + " (a link made with a clientPublicKey, or by another token)");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        // A key in the environment shows in docker inspect; in a root-only file it does not.
        files.put(KEY_FILE, (key + "\n").getBytes(StandardCharsets.UTF_8));
        environment.put(PRIVATE_KEY + "_FILE", KEY_FILE);
        environment.putAll(settings.clientEnvironment());
        settings.acmeCaRoot().ifPresent(root -> {
            files.put(CA_ROOT_FILE, root);
            environment.put("ACME_CA_ROOT", CA_ROOT_FILE);
        });
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(HomeContainers.LABEL_AGENT, settings.agentId());
        labels.put(HomeContainers.LABEL_LINK_ID, link.getId());
        labels.put(HomeContainers.LABEL_FQDN, wish.fqdn());
        labels.put(HomeContainers.LABEL_CONFIG, config);
        String name = clientName(wish.fqdn());
        // What the snippet asks of the engine is taken as it is, so a gateway that asks for more (a sysctl, say)
        // needs no new agent.
        docker.runClientLink(new ClientLinkSpec(name,
                settings.clientImage().orElse(String.valueOf(service.get("image"))), wish.network(), environment,
                files, "sg-" + settings.agentId() + "-certs-" + wish.fqdn(), labels, strings(service.get("cap_add")),
                strings(service.get("devices")), textMap(service.get("sysctls"))));
        log.info("client-link {} started for {} (link {}, network {})", name, wish.fqdn(), link.getId(),
                wish.network());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String compose) throws Refused {
        Object document = new Yaml().load(compose);
        if (document instanceof Map<?, ?> services) {
            for (Object service : services.values()) {
                if (service instanceof Map<?, ?> map && map.containsKey("image")) {
                    return (Map<String, Object>) map;
                }
            }
        }
        throw new Refused("the gateway's snippet holds no service with an image");
    }

    /**
     * Puts on each of the agent's links why its container's labels are refused (the link keeps serving as it was),
     * and clears that note once they are fine again. Written only when it changes: not once per pass.
     */
    private void noteOnLinks(List<Link> links, Set<String> kept, Map<String, String> heldBecause)
            throws Unavailable {
        for (Link link : links) {
            if (!owner.equals(link.getCreatedBy())) {
                continue;
            }
            String fqdn = link.getFqdn().toLowerCase(Locale.ROOT);
            String wanted = heldBecause.get(fqdn);
            if (wanted == null && !kept.contains(link.getId())) {
                continue;
            }
            if (!Objects.equals(wanted, link.getNotice())) {
                try {
                    gateway.notice(link.getId(), wanted);
                    log.info("link {} for {}: {}", link.getId(), fqdn, wanted == null ? "notice cleared" : "notice set");
                }
                catch (Refused refusal) {
                    log.warn("link {} for {}: the gateway refused its notice: {}", link.getId(), fqdn,
                            refusal.getMessage());
                }
            }
        }
    }

    private String notice(Wish wish, String reason) {
        String text = "The home agent " + settings.agentId() + " refuses the labels of container "
                + wish.container().name() + ": " + reason + ". The link stays as it was until they are fixed.";
        return text.length() <= 2000 ? text : text.substring(0, 1996) + "...";
    }

    /** {@code web:80, also www.example.com, raw ports [tcp:2222=web:22]}: what a wish asks for, for logs. */
    private static String describe(Wish wish) {
        return wish.expose() + (wish.aliases().isEmpty() ? "" : ", also " + String.join(", ", wish.aliases()))
                + (wish.ports().isEmpty() ? "" : ", raw ports [" + describe(wish.ports()) + "]");
    }

    private static boolean hasAccessRules(Link link) {
        return link.getAccess() != null && !(isEmpty(link.getAccess().getAllow()) && isEmpty(link.getAccess().getDeny())
                && isEmpty(link.getAccess().getBasicAuthUsers()));
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static List<String> aliasesOf(Link link) {
        return link.getAliases() == null ? List.of() : link.getAliases();
    }

    private static String describe(List<PortMapping> ports) {
        return ports.stream().map(port -> port.getProtocol().getValue() + ":" + port.getPublicPort()
                + (port.getPublicPortEnd() == null ? "" : "-" + port.getPublicPortEnd()) + "=" + port.getTarget()
                + (port.getProxyProtocol() == null ? "" : "/proxy-" + port.getProxyProtocol().getValue()))
                .collect(Collectors.joining(" "));
    }

    private static List<String> strings(Object list) {
        return list instanceof List<?> values ? values.stream().map(String::valueOf).toList() : List.of();
    }

    private static Map<String, String> textMap(Object map) {
        Map<String, String> text = new LinkedHashMap<>();
        if (map instanceof Map<?, ?> values) {
            values.forEach((name, value) -> text.put(String.valueOf(name), String.valueOf(value)));
        }
        return text;
    }

    private String clientName(String fqdn) {
        return "sg-" + settings.agentId() + "-" + fqdn;
    }

    private ContainerRecord serving(Wish wish, Link link) {
        report(wish.container(), null);
        return new ContainerRecord(wish.container().name(), wish.fqdn(), link.getId(), "LINKED", null);
    }

    private ContainerRecord refused(Wish wish, String reason) {
        report(wish.container(), reason);
        return new ContainerRecord(wish.container().name(), wish.fqdn(), null, "REFUSED", reason);
    }

    /** Logs a refusal once per container and reason. */
    private void report(LabelledContainer container, String reason) {
        String key = reason == null ? "" : reason;
        if (!key.equals(reported.put(container.id(), key)) && reason != null) {
            log.warn("container {} refused: {}", container.name(), reason);
        }
    }

    private static String digest(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
