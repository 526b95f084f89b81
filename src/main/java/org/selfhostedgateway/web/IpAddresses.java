package org.selfhostedgateway.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Tells a syntactically valid IP address literal from anything else, without ever asking DNS. */
public final class IpAddresses {

    /** The longest IPv6 text form, such as {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    public static final int MAX_LENGTH = 45;

    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpAddresses() {
    }

    public static boolean isIpv4(String text) {
        return text != null && IPV4.matcher(text).matches();
    }

    /** An IPv6 address without brackets or zone, such as {@code 2001:db8::1} or {@code ::ffff:192.0.2.1}. */
    public static boolean isIpv6(String text) {
        if (text == null || text.length() > MAX_LENGTH || !IPV6_CHARACTERS.matcher(text).matches()) {
            return false;
        }
        try {
            // With a colon in it, the JDK parses the text as an IPv6 literal and never looks a name up.
            InetAddress.getByName(text);
            return true;
        }
        catch (UnknownHostException | IllegalArgumentException notAnAddress) {
            return false;
        }
    }

    public static boolean isIpAddress(String text) {
        return isIpv4(text) || isIpv6(text);
    }
}
