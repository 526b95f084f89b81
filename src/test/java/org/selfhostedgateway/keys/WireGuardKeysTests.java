package org.selfhostedgateway.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WireGuardKeysTests {

    private final WireGuardKeys keys = new WireGuardKeys();

    @Test
    void x25519MatchesTheRfc7748TestVectors() {
        // RFC 7748, section 5.2
        assertThat(x25519("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))
                .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        assertThat(x25519("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))
                .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    @Test
    void publicKeysMatchRfc7748AliceAndBob() {
        // RFC 7748, section 6.1: the public keys of Alice and Bob
        assertThat(hex(keys.publicKeyOf(base64("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))))
                .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(hex(keys.publicKeyOf(base64("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))))
                .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    }

    @Test
    void generatedKeysAreWhatWgPubkeyDerives() throws Exception {
        for (int i = 0; i < 10; i++) {
            WireGuardKeyPair pair = keys.generate();
            assertThat(WireGuardKeys.isWellFormed(pair.privateKey())).isTrue();
            assertThat(pair.publicKey()).isEqualTo(wg("pubkey", pair.privateKey()));
        }
    }

    @Test
    void keysThatWgGenkeyMakesGetTheSamePublicKeyFromUs() throws Exception {
        for (int i = 0; i < 10; i++) {
            String privateKey = wg("genkey", "");
            assertThat(keys.publicKeyOf(privateKey)).isEqualTo(wg("pubkey", privateKey));
        }
    }

    @Test
    void generatedPrivateKeysAreClampedLikeWgGenkey() {
        byte[] raw = Base64.getDecoder().decode(keys.generate().privateKey());
        assertThat(raw[0] & 7).isZero();
        assertThat(raw[31] & 0x80).isZero();
        assertThat(raw[31] & 0x40).isEqualTo(0x40);
    }

    @Test
    void thePrivateKeyNeverShowsInToString() {
        WireGuardKeyPair pair = keys.generate();
        assertThat(pair.toString()).contains(pair.publicKey()).doesNotContain(pair.privateKey());
    }

    private static String x25519(String scalarHex, String uHex) {
        byte[] u = HexFormat.of().parseHex(uHex);
        return HexFormat.of().formatHex(WireGuardKeys.x25519(HexFormat.of().parseHex(scalarHex),
                WireGuardKeys.decodeU(u)));
    }

    private static String base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    private static String hex(String base64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }

    /** Runs the real wg tool (wireguard-tools), which CI installs. */
    private static String wg(String command, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("wg", command).redirectErrorStream(true).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(process.exitValue()).as("wg %s: %s", command, output).isZero();
        return output;
    }
}
