package org.selfhostedgateway.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Base64;

import javax.crypto.KeyAgreement;

import org.springframework.stereotype.Component;

/**
 * WireGuard key pairs made with the JDK's X25519, encoded exactly as {@code wg genkey} and {@code wg pubkey} print
 * them: base64 of the raw 32 bytes.
 */
@Component
public class WireGuardKeys {

    private static final int KEY_LENGTH = 32;

    /** The X25519 base point u = 9: X25519(k, 9) is the public key of k. */
    private static final BigInteger BASE_POINT = BigInteger.valueOf(9);

    private final SecureRandom random = new SecureRandom();

    public WireGuardKeyPair generate() {
        byte[] secret = new byte[KEY_LENGTH];
        random.nextBytes(secret);
        clamp(secret);
        String privateKey = Base64.getEncoder().encodeToString(secret);
        return new WireGuardKeyPair(privateKey, publicKeyOf(privateKey));
    }

    /** The public key that {@code wg pubkey} prints for this private key. */
    public String publicKeyOf(String privateKey) {
        return Base64.getEncoder().encodeToString(x25519(decode(privateKey), BASE_POINT));
    }

    /** True when the text is a key as WireGuard prints it: base64 of exactly 32 bytes. */
    public static boolean isWellFormed(String key) {
        if (key == null || key.length() != 44) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_LENGTH;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 7748 X25519(scalar, u), both little-endian 32-byte strings as in the RFC. */
    static byte[] x25519(byte[] scalar, BigInteger u) {
        try {
            KeyFactory factory = KeyFactory.getInstance("XDH");
            PrivateKey privateKey = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            PublicKey point = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(privateKey);
            agreement.doPhase(point, true);
            return agreement.generateSecret();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    /** Little-endian u-coordinate, as RFC 7748 encodes it. */
    static BigInteger decodeU(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        bigEndian[0] &= 0x7f; // RFC 7748: the top bit of u is ignored
        return new BigInteger(1, bigEndian);
    }

    /** The bit twiddling of {@code wg genkey} (Curve25519 clamping), so stored keys equal what wg would make. */
    private static void clamp(byte[] secret) {
        secret[0] &= (byte) 248;
        secret[31] &= 127;
        secret[31] |= 64;
    }

    private static byte[] decode(String key) {
        if (!isWellFormed(key)) {
            throw new IllegalArgumentException("A WireGuard key is base64 of 32 bytes");
        }
        return Base64.getDecoder().decode(key);
    }
}
