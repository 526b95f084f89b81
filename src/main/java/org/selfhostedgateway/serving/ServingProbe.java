package org.selfhostedgateway.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

import org.selfhostedgateway.link.LinkServingView.Certificate;

import org.springframework.stereotype.Component;

/** The network half of a serving check: DNS through the configured resolver, TLS and HTTP through the front door. */
@Component
class ServingProbe {

    private static final int MAX_CNAMES = 8;

    private final ServingProperties properties;

    ServingProbe(ServingProperties properties) {
        this.properties = properties;
    }

    /** A and AAAA records of a name (following CNAMEs), or why they could not be read. */
    record Dns(List<String> addresses, String error) {
    }

    /** What the handshake and {@code GET /} showed; {@code tlsError} is null when the handshake completed. */
    record Tls(Certificate certificate, String tlsError, Integer httpStatus) {
    }

    Dns resolve(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        // No host: the resolvers of this machine (/etc/resolv.conf); never the JVM's address cache.
        env.put(Context.PROVIDER_URL, properties.dnsServer().isEmpty() ? "dns:" : "dns://" + properties.dnsServer());
        env.put("com.sun.jndi.dns.timeout.initial", String.valueOf(properties.timeout().toMillis() / 3));
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext dns = null;
        try {
            dns = new InitialDirContext(env);
            Set<String> addresses = new LinkedHashSet<>();
            String current = name;
            for (int i = 0; i < MAX_CNAMES && current != null; i++) {
                // One query per type: several types at once become an ANY query, which many servers refuse.
                List<String> ipv4 = records(dns, current, "A");
                if (ipv4 == null) {
                    break; // no such name
                }
                addresses.addAll(ipv4);
                List<String> ipv6 = records(dns, current, "AAAA");
                if (ipv6 != null) {
                    ipv6.forEach(address -> addresses.add(normalized(address)));
                }
                List<String> cname = addresses.isEmpty() ? cname(dns, current) : List.of();
                current = cname.isEmpty() ? null : cname.get(0).replaceFirst("\\.$", "");
            }
            return new Dns(List.copyOf(addresses), null);
        }
        catch (NamingException e) {
            return new Dns(List.of(), e.getClass().getSimpleName() + (e.getExplanation() == null ? ""
                    : ": " + e.getExplanation()));
        }
        finally {
            if (dns != null) {
                try {
                    dns.close();
                }
                catch (NamingException ignored) {
                    // nothing held
                }
            }
        }
    }

    /** The records of one type; null when the name does not exist. */
    private static List<String> records(DirContext dns, String name, String type) throws NamingException {
        try {
            return values(dns.getAttributes(name + ".", new String[] {type}).get(type));
        }
        catch (NameNotFoundException e) {
            return null;
        }
    }

    private static List<String> cname(DirContext dns, String name) {
        try {
            List<String> target = records(dns, name, "CNAME");
            return target == null ? List.of() : target;
        }
        catch (NamingException e) {
            return List.of(); // a server that does not answer CNAME queries has none to give
        }
    }

    /** A TLS handshake for the name at the front door, then {@code GET /} on the same connection. */
    Tls handshake(String frontDoor, String fqdn) {
        int timeout = (int) properties.timeout().toMillis();
        CapturingTrust capture = new CapturingTrust();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(InetAddress.getByName(frontDoor), 443), timeout);
            raw.setSoTimeout(timeout);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {capture}, null);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, fqdn, 443, false)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(fqdn)));
                parameters.setApplicationProtocols(new String[] {"http/1.1"});
                socket.setSSLParameters(parameters);
                try {
                    socket.startHandshake();
                }
                catch (IOException e) {
                    return new Tls(capture.certificate(fqdn), describe(e), null);
                }
                return new Tls(capture.certificate(fqdn), null, statusOfRoot(socket, fqdn));
            }
        }
        catch (IOException | GeneralSecurityException e) {
            return new Tls(null, describe(e), null);
        }
    }

    private static Integer statusOfRoot(SSLSocket socket, String fqdn) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + fqdn + "\r\nUser-Agent: selfhosted-gateway-check\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n' && line.length() < 200; b = in.read()) {
                line.append((char) b);
            }
            String[] parts = line.toString().split(" ");
            return parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.valueOf(parts[1]) : null;
        }
        catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Whether a certificate's DNS names include the name, directly or by a wildcard one label deep. */
    static boolean covers(List<String> names, String fqdn) {
        String name = fqdn.toLowerCase(Locale.ROOT);
        String parent = name.contains(".") ? name.substring(name.indexOf('.')) : null;
        return names.contains(name) || (parent != null && names.contains("*" + parent));
    }

    /** One spelling per address: DNS may print an IPv6 address in full, configuration in short. */
    static String normalized(String address) {
        try {
            return InetAddress.getByName(address).getHostAddress(); // a literal: never a DNS lookup
        }
        catch (IOException e) {
            return address;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static List<String> values(Attribute attribute) throws NamingException {
        List<String> values = new ArrayList<>();
        if (attribute != null) {
            NamingEnumeration<?> all = attribute.getAll();
            while (all.hasMore()) {
                values.add(String.valueOf(all.next()).toLowerCase(Locale.ROOT));
            }
        }
        return values;
    }

    /**
     * Accepts any chain and remembers it: the gateway only observes, TLS ends at home, and an untrusted or wrong
     * certificate is exactly what the check must be able to report. Whether it is trusted is judged separately.
     */
    private static final class CapturingTrust implements X509TrustManager {

        private volatile X509Certificate[] chain;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            this.chain = chain.clone();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        Certificate certificate(String fqdn) {
            X509Certificate[] seen = chain;
            if (seen == null || seen.length == 0) {
                return null;
            }
            X509Certificate leaf = seen[0];
            List<String> names = dnsNames(leaf);
            String issuer = leaf.getIssuerX500Principal().getName(X500Principal.RFC2253);
            return new Certificate(issuer, names, leaf.getNotAfter().toInstant(), trusted(seen) && covers(names, fqdn));
        }

        private static boolean trusted(X509Certificate[] chain) {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                for (TrustManager manager : factory.getTrustManagers()) {
                    if (manager instanceof X509TrustManager x509) {
                        x509.checkServerTrusted(chain, "UNKNOWN");
                        return true;
                    }
                }
                return false;
            }
            catch (GeneralSecurityException e) {
                return false;
            }
        }

        private static List<String> dnsNames(X509Certificate leaf) {
            try {
                Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
                if (alternatives == null) {
                    return List.of();
                }
                return alternatives.stream().filter(entry -> Integer.valueOf(2).equals(entry.get(0)))
                        .map(entry -> String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT)).toList();
            }
            catch (CertificateParsingException e) {
                return List.of();
            }
        }
    }
}
