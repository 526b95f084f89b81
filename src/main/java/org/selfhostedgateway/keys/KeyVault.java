package org.selfhostedgateway.keys;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.selfhostedgateway.storage.SecretFiles;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Encrypts private keys before they reach the database (AES-256-GCM, a fresh nonce each time).
 * Stored form: {@code v1:} followed by base64 of nonce and ciphertext with its tag.
 */
@Component
public class KeyVault {

    static final String KEY_FILE = "encryption.key";

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    KeyVault(KeysProperties properties, SecretFiles secretFiles) {
        String encoded = StringUtils.hasText(properties.encryptionKey())
                ? properties.encryptionKey()
                : secretFiles.readOrCreate(KEY_FILE, this::newKey).value();
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalStateException("The key-encryption key in " + KEY_FILE + " is not base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalStateException("The key-encryption key must be 32 bytes, found " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public String encrypt(String plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a private key", e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw new IllegalStateException("A stored private key is not in the expected encrypted form");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        }
        catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "Cannot decrypt a stored private key: was the data directory's " + KEY_FILE
                            + " or GATEWAY_ENCRYPTION_KEY changed?", e);
        }
    }

    private String newKey() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }
}
