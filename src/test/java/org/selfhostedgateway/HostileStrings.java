package org.selfhostedgateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates inputs the way an attacker or a confused user would: valid values with dangerous characters spliced
 * in, truncated or stretched, and random strings over an alphabet rich in what breaks NGINX, Caddy, YAML and
 * shells. Seeded, so a failure names a reproducible case.
 */
public final class HostileStrings {

    private static final String DANGEROUS = "\n\r\t ;{}\"'`$\\#:/@*?&|<>()[]=,%!~^\u0000\u2028\u00e9\u0430\uff0e"
            + "\ud83d\ude00";
    private static final String ORDINARY = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";

    private final Random random;

    public HostileStrings(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} strings derived from the valid examples and from nothing at all. */
    public List<String> around(List<String> validExamples, int count) {
        List<String> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String base = validExamples.get(random.nextInt(validExamples.size()));
            all.add(switch (random.nextInt(6)) {
                case 0 -> splice(base, pick(DANGEROUS));
                case 1 -> splice(splice(base, pick(DANGEROUS)), pick(ORDINARY));
                case 2 -> base.substring(0, random.nextInt(base.length() + 1));
                case 3 -> stretch(base);
                case 4 -> randomString(ORDINARY + DANGEROUS, random.nextInt(80));
                default -> randomString(ORDINARY, random.nextInt(300));
            });
        }
        return all;
    }

    private String splice(String base, char c) {
        int at = random.nextInt(base.length() + 1);
        return base.substring(0, at) + c + base.substring(at);
    }

    private String stretch(String base) {
        StringBuilder longer = new StringBuilder(base);
        while (longer.length() < 240 + random.nextInt(30)) {
            longer.insert(0, pick(ORDINARY));
        }
        return longer.toString();
    }

    private String randomString(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private char pick(String alphabet) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }
}
