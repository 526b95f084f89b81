package org.selfhostedgateway.tokens;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A named API token as stored: its SHA-256, never the token. */
@Entity
@Table(name = "api_token")
class ApiToken {

    @Id
    private String id;

    @Column(nullable = false, unique = true)
    private String name;

    @Column(name = "token_hash", nullable = false, unique = true)
    private String tokenHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    protected ApiToken() {
    }

    ApiToken(String id, String name, String tokenHash, Instant createdAt, String createdBy) {
        this.id = id;
        this.name = name;
        this.tokenHash = tokenHash;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    String getId() {
        return id;
    }

    String getName() {
        return name;
    }

    String getTokenHash() {
        return tokenHash;
    }

    Instant getLastUsedAt() {
        return lastUsedAt;
    }

    TokenResponse view(String token) {
        return new TokenResponse(id, name, createdAt, createdBy, lastUsedAt, token);
    }
}
