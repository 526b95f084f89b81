package org.selfhostedgateway.link;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.Fetch;
import org.hibernate.annotations.FetchMode;

/** A link as stored. Private keys are held encrypted; this entity never leaves the link package. */
@Entity
@Table(name = "link")
class Link {

    @Id
    private String id;

    @Column(nullable = false, unique = true)
    private String fqdn;

    @Column(nullable = false)
    private String expose;

    @Column(name = "udp_port", nullable = false, unique = true)
    private int udpPort;

    @Column(name = "gateway_private_key", nullable = false)
    private String encryptedGatewayPrivateKey;

    @Column(name = "gateway_public_key", nullable = false)
    private String gatewayPublicKey;

    /** Null when the user brought their own client key pair. */
    @Column(name = "client_private_key")
    private String encryptedClientPrivateKey;

    @Column(name = "client_public_key", nullable = false)
    private String clientPublicKey;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private LinkState state;

    @Column(name = "state_reason")
    private String stateReason;

    /** Where the client's packets last came from, as WireGuard reported it; null until the first handshake. */
    @Column(name = "client_endpoint")
    private String clientEndpoint;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** 'admin' or 'token <name>'; null for links made before owners were recorded. */
    @Column(name = "created_by")
    private String createdBy;

    /** The named token that created the link: besides the admin, the only caller that may read its private key. */
    @Column(name = "created_by_token_id")
    private String createdByTokenId;

    @Enumerated(EnumType.STRING)
    @Column(name = "visitor_address", nullable = false)
    private VisitorAddress visitorAddress;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** A note from whoever manages the link (the home agent: why it refuses its container's labels); or null. */
    private String notice;

    /** When the keys were last replaced; null until the first rotation. */
    @Column(name = "keys_rotated_at")
    private Instant keysRotatedAt;

    /** Raw ports as the user gave them; read with every link (one more query for a whole list, not one per link). */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "link_port", joinColumns = @JoinColumn(name = "link_id"))
    @OrderColumn(name = "position")
    @Fetch(FetchMode.SUBSELECT)
    private List<LinkPort> ports = new ArrayList<>();

    /** Every public port those entries take, one row each: the table's primary key keeps a port to one link. */
    @ElementCollection
    @CollectionTable(name = "link_public_port", joinColumns = @JoinColumn(name = "link_id"))
    private Set<LinkPublicPort> publicPorts = new HashSet<>();

    /**
     * Every name of the link, the main fqdn at position 0 and the aliases after it; read with every link (one more
     * query for a whole list). The table's primary key keeps each name to one link.
     */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "link_name", joinColumns = @JoinColumn(name = "link_id"))
    @Fetch(FetchMode.SUBSELECT)
    private Set<LinkName> names = new HashSet<>();

    /** Visitor access rules (V12); null columns when the link has none. */
    @Embedded
    private StoredAccessRules access;

    @Version
    private Long version;

    protected Link() {
    }

    /** Now, in microseconds as H2 stores them, so a link read back equals the one answered before. */
    static Instant storedNow(Clock clock) {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    Link(String id, String fqdn, String expose, int udpPort, String encryptedGatewayPrivateKey,
            String gatewayPublicKey, String encryptedClientPrivateKey, String clientPublicKey, Instant now,
            String createdBy, String createdByTokenId, VisitorAddress visitorAddress) {
        this.id = id;
        this.fqdn = fqdn;
        this.expose = expose;
        this.udpPort = udpPort;
        this.encryptedGatewayPrivateKey = encryptedGatewayPrivateKey;
        this.gatewayPublicKey = gatewayPublicKey;
        this.encryptedClientPrivateKey = encryptedClientPrivateKey;
        this.clientPublicKey = clientPublicKey;
        this.state = LinkState.PROVISIONING;
        this.createdAt = now;
        this.updatedAt = now;
        this.createdBy = createdBy;
        this.createdByTokenId = createdByTokenId;
        this.visitorAddress = visitorAddress;
        this.names.add(new LinkName(fqdn, 0));
    }

    void changeState(LinkState newState, String reason, Instant now) {
        this.state = newState;
        this.stateReason = reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 1997) + "...";
        this.updatedAt = now;
    }

    /** Replaces the raw ports whole, with the public ports they take. */
    void replacePorts(List<PortMapping> mappings, Instant now) {
        ports.clear();
        publicPorts.clear();
        for (PortMapping mapping : mappings) {
            ports.add(new LinkPort(mapping));
            for (int port = mapping.publicPort(); port <= mapping.lastPublicPort(); port++) {
                publicPorts.add(new LinkPublicPort(mapping.protocol(), port));
            }
        }
        this.updatedAt = now;
    }

    List<PortMapping> getPorts() {
        return ports.stream().map(LinkPort::mapping).toList();
    }

    /** The extra names, in the order the user gave them (the main fqdn is not among them). */
    List<String> getAliases() {
        return names.stream().filter(name -> name.position() > 0)
                .sorted(java.util.Comparator.comparingInt(LinkName::position)).map(LinkName::name).toList();
    }

    /** Replaces the aliases whole; the main fqdn stays. */
    void replaceAliases(List<String> aliases, Instant now) {
        names.removeIf(name -> name.position() > 0);
        for (int i = 0; i < aliases.size(); i++) {
            names.add(new LinkName(aliases.get(i), i + 1));
        }
        this.updatedAt = now;
    }

    void changeExpose(String newExpose, Instant now) {
        this.expose = newExpose;
        this.updatedAt = now;
    }

    void deliverVisitorAddress(VisitorAddress mode, Instant now) {
        this.visitorAddress = mode;
        this.updatedAt = now;
    }

    void note(String text) {
        this.notice = text;
    }

    String getNotice() {
        return notice;
    }

    /**
     * New WireGuard keys, port and names unchanged. {@code encryptedClientPrivateKey} is null when the caller
     * supplied the client's public key.
     */
    void rotateKeys(String encryptedGatewayPrivateKey, String gatewayPublicKey, String encryptedClientPrivateKey,
            String clientPublicKey, Instant now) {
        this.encryptedGatewayPrivateKey = encryptedGatewayPrivateKey;
        this.gatewayPublicKey = gatewayPublicKey;
        this.encryptedClientPrivateKey = encryptedClientPrivateKey;
        this.clientPublicKey = clientPublicKey;
        this.keysRotatedAt = now;
        this.updatedAt = now;
    }

    Instant getKeysRotatedAt() {
        return keysRotatedAt;
    }

    void seenAt(String endpoint) {
        this.clientEndpoint = endpoint;
    }

    String getClientEndpoint() {
        return clientEndpoint;
    }

    String getId() {
        return id;
    }

    String getFqdn() {
        return fqdn;
    }

    String getExpose() {
        return expose;
    }

    int getUdpPort() {
        return udpPort;
    }

    String getEncryptedGatewayPrivateKey() {
        return encryptedGatewayPrivateKey;
    }

    String getGatewayPublicKey() {
        return gatewayPublicKey;
    }

    String getEncryptedClientPrivateKey() {
        return encryptedClientPrivateKey;
    }

    String getClientPublicKey() {
        return clientPublicKey;
    }

    LinkState getState() {
        return state;
    }

    String getStateReason() {
        return stateReason;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    String getCreatedBy() {
        return createdBy;
    }

    String getCreatedByTokenId() {
        return createdByTokenId;
    }

    VisitorAddress getVisitorAddress() {
        return visitorAddress;
    }

    AccessRules getAccessRules() {
        return access == null ? AccessRules.NONE : access.rules();
    }

    void replaceAccessRules(AccessRules rules, Instant now) {
        this.access = new StoredAccessRules(rules);
        this.updatedAt = now;
    }
}
