package org.selfhostedgateway.link;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.selfhostedgateway.web.IpAddresses;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 203.0.113.0/24} or {@code 2001:db8::/32}. A bare address
 * is a network of one ({@code /32}, {@code /128}). Host bits must be zero: {@code 203.0.113.7/24} is refused rather
 * than silently widened, since the user may have meant the single address. {@link #toString()} is the canonical text
 * (lower-case, compressed IPv6 as RFC 5952 writes it), the only form that is stored and given to NGINX.
 */
public final class Cidr {

    private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Refused text, with a sentence that says why. */
    public static final class InvalidCidrException extends IllegalArgumentException {
        InvalidCidrException(String message) {
            super(message);
        }
    }

    /** Parses a CIDR or a bare address; never asks DNS. */
    public static Cidr parse(String text) {
        if (text == null || text.isEmpty() || text.length() > IpAddresses.MAX_LENGTH + 4) {
            throw new InvalidCidrException("must be an IPv4 or IPv6 network such as 203.0.113.0/24 or 2001:db8::/32");
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean ipv4 = IpAddresses.isIpv4(address);
        if (!ipv4 && !IpAddresses.isIpv6(address)) {
            throw new InvalidCidrException("must be an IPv4 or IPv6 network such as 203.0.113.0/24 or 2001:db8::/32 "
                    + "(an address, optionally with /prefix; no host names)");
        }
        byte[] bytes;
        try {
            // Both checks above admit only address literals, so this never looks a name up.
            bytes = InetAddress.getByName(address).getAddress();
        }
        catch (UnknownHostException e) {
            throw new InvalidCidrException("must be an IPv4 or IPv6 network such as 203.0.113.0/24");
        }
        if (!ipv4 && bytes.length == 4) {
            throw new InvalidCidrException("is an IPv4 address written as IPv6 (::ffff:...): write it as IPv4, such as "
                    + ipv4Text(bytes) + "/32");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = text.substring(slash + 1);
            if (!PREFIX.matcher(prefixText).matches() || Integer.parseInt(prefixText) > bits) {
                throw new InvalidCidrException("has an invalid prefix length: it must be 0 to " + bits + " for an IPv"
                        + (bits == 32 ? "4" : "6") + " network");
            }
            prefix = Integer.parseInt(prefixText);
        }
        byte[] network = masked(bytes, prefix);
        Cidr cidr = new Cidr(network, prefix);
        if (!java.util.Arrays.equals(network, bytes)) {
            throw new InvalidCidrException("has host bits set: the network of " + text + " is " + cidr
                    + " (or write the single address as " + new Cidr(bytes, bits) + ")");
        }
        return cidr;
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] network = address.clone();
        for (int i = 0; i < network.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            network[i] &= (byte) (0xff << (8 - keep));
        }
        return network;
    }

    public boolean ipv6() {
        return network.length == 16;
    }

    public int prefix() {
        return prefix;
    }

    /** Whether every address of {@code other} is in this network (a network contains itself). */
    public boolean contains(Cidr other) {
        return other.network.length == network.length && other.prefix >= prefix
                && java.util.Arrays.equals(masked(other.network, prefix), network);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && other.prefix == prefix && java.util.Arrays.equals(other.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 131 + prefix;
    }

    @Override
    public String toString() {
        return (ipv6() ? ipv6Text(network) : ipv4Text(network)) + "/" + prefix;
    }

    private static String ipv4Text(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups (the first on a tie) as ::. */
    private static String ipv6Text(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    /** For sorting: IPv4 before IPv6, then by network, then wider first. */
    public static int compare(Cidr a, Cidr b) {
        if (a.network.length != b.network.length) {
            return Integer.compare(a.network.length, b.network.length);
        }
        int byNetwork = new BigInteger(1, a.network).compareTo(new BigInteger(1, b.network));
        return byNetwork != 0 ? byNetwork : Integer.compare(a.prefix, b.prefix);
    }
}
