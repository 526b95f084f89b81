package org.selfhostedgateway.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.selfhostedgateway.audit.AuditAction;
import org.selfhostedgateway.audit.AuditLog;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Named API tokens: made for one script or person, revoked one by one. Only a token's SHA-256 is stored; a
 * 256-bit random token needs no slow hash, and looking it up by its hash leaks nothing about other tokens.
 */
@Service
public class NamedTokens {

    /** Tells a leaked token apart in logs and secret scanners. */
    static final String PREFIX = "sgw_";

    /** Writing "last used" on every request would turn each read into a write; to the minute is enough. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final SecureRandom random = new SecureRandom();
    private final ApiTokenRepository tokens;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    NamedTokens(ApiTokenRepository tokens, AuditLog audit, PlatformTransactionManager transactionManager,
            Clock clock) {
        this.tokens = tokens;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** A new token; the answer is the only place its value ever appears. */
    public TokenResponse create(CreateTokenRequest request) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try {
            return transaction.execute(status -> {
                if (tokens.existsByName(request.name())) {
                    throw new TokenNameTakenException(request.name());
                }
                ApiToken saved = tokens.saveAndFlush(new ApiToken(UUID.randomUUID().toString(), request.name(),
                        hash(token), now(), currentActor()));
                audit.record(AuditAction.TOKEN_CREATED, saved.getName(), saved.getId());
                return saved.view(token);
            });
        }
        catch (DataIntegrityViolationException raced) {
            throw new TokenNameTakenException(request.name());
        }
    }

    public List<TokenResponse> list() {
        return transaction.execute(status -> tokens.findAllByOrderByCreatedAtAscNameAsc().stream()
                .map(token -> token.view(null)).toList());
    }

    /** Deletes the token: the next request that carries it is refused. */
    public void revoke(String id) {
        transaction.executeWithoutResult(status -> {
            ApiToken token = tokens.findById(id).orElseThrow(() -> new TokenNotFoundException(id));
            tokens.delete(token);
            tokens.flush();
            audit.record(AuditAction.TOKEN_REVOKED, token.getName(), token.getId());
        });
    }

    /** The token presented, when it is a live named token. */
    public Optional<Authenticated> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String digest = hash(presented);
        Optional<ApiToken> found = tokens.findByTokenHash(digest)
                .filter(token -> MessageDigest.isEqual(token.getTokenHash().getBytes(StandardCharsets.US_ASCII),
                        digest.getBytes(StandardCharsets.US_ASCII)));
        found.ifPresent(this::markUsed);
        return found.map(token -> new Authenticated(token.getId(), token.getName()));
    }

    /** A live named token: its id (what it owns is recorded by) and its name (what people read). */
    public record Authenticated(String id, String name) {
    }

    private void markUsed(ApiToken token) {
        Instant now = now();
        if (token.getLastUsedAt() == null
                || token.getLastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
            transaction.executeWithoutResult(status -> tokens.markUsed(token.getId(), now));
        }
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private static String currentActor() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? AuditLog.SYSTEM : authentication.getName();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
