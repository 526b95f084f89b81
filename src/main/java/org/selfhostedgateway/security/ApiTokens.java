package org.selfhostedgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import org.selfhostedgateway.storage.SecretFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The admin token, and a comparison that takes the same time whatever the guess. */
@Component
class ApiTokens {

    static final String TOKEN_FILE = "api-token";

    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);

    private final byte[] adminTokenDigest;

    ApiTokens(ApiProperties properties, SecretFiles secretFiles) {
        String token;
        if (StringUtils.hasText(properties.token())) {
            token = properties.token();
        }
        else {
            SecretFiles.Secret secret = secretFiles.readOrCreate(TOKEN_FILE, ApiTokens::newToken);
            token = secret.value();
            if (secret.created()) {
                // Shown once, at the start that made it; afterwards only the file (mode 0600) holds it.
                log.warn("Generated the admin API token (also in {}, readable by its owner only): {}",
                        secret.file(), token);
            }
        }
        this.adminTokenDigest = sha256(token);
    }

    boolean isAdminToken(String presented) {
        // Comparing digests keeps the time independent of where the strings differ and of their lengths.
        return presented != null && MessageDigest.isEqual(adminTokenDigest, sha256(presented));
    }

    private static String newToken() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
