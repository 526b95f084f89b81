package org.selfhostedgateway.keys;

/** A WireGuard key pair in wg's base64 encoding. The private key never appears in {@link #toString()}. */
public record WireGuardKeyPair(String privateKey, String publicKey) {

    @Override
    public String toString() {
        return "WireGuardKeyPair[publicKey=" + publicKey + "]";
    }
}
