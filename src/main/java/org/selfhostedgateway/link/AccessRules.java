package org.selfhostedgateway.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A link's visitor access rules as stored: IP networks allowed and denied (enforced by the gateway's NGINX) and HTTP
 * basic-auth users with their bcrypt hashes (enforced at home). Empty lists mean "off". Its text forms never show a
 * hash.
 */
record AccessRules(List<Cidr> allow, List<Cidr> deny, List<BasicAuthCredential> users) {

    static final AccessRules NONE = new AccessRules(List.of(), List.of(), List.of());

    AccessRules {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        users = List.copyOf(users);
    }

    /** One basic-auth user: the name and the bcrypt hash of their password (never the password). */
    record BasicAuthCredential(String username, String bcryptHash) {

        @Override
        public String toString() {
            return username;
        }
    }

    boolean hasIpRules() {
        return !allow.isEmpty() || !deny.isEmpty();
    }

    List<String> usernames() {
        return users.stream().map(BasicAuthCredential::username).toList();
    }

    LinkAccessView view() {
        return new LinkAccessView(texts(allow), texts(deny), usernames());
    }

    static List<String> texts(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::toString).toList();
    }

    /** "allow: [..] -> [..]; basicAuthUsers: [..] -> [..]" for the parts that differ; hashes are never named. */
    static String describeChange(AccessRules before, AccessRules after) {
        List<String> parts = new ArrayList<>();
        if (!before.allow.equals(after.allow)) {
            parts.add(LinkChanged.change("allow", texts(before.allow), texts(after.allow)));
        }
        if (!before.deny.equals(after.deny)) {
            parts.add(LinkChanged.change("deny", texts(before.deny), texts(after.deny)));
        }
        if (!before.users.equals(after.users)) {
            Map<String, String> oldHashes = before.users.stream()
                    .collect(Collectors.toMap(BasicAuthCredential::username, BasicAuthCredential::bcryptHash));
            List<String> newPasswords = after.users.stream()
                    .filter(user -> oldHashes.containsKey(user.username())
                            && !oldHashes.get(user.username()).equals(user.bcryptHash()))
                    .map(BasicAuthCredential::username).toList();
            parts.add(LinkChanged.change("basicAuthUsers", before.usernames(), after.usernames())
                    + (newPasswords.isEmpty() ? "" : " (new password for " + String.join(", ", newPasswords) + ")"));
        }
        return String.join("; ", parts);
    }

    /** Stored form of a CIDR list: canonical texts separated by one space; null when empty. */
    static String joinCidrs(List<Cidr> cidrs) {
        return cidrs.isEmpty() ? null : String.join(" ", texts(cidrs));
    }

    static List<Cidr> splitCidrs(String stored) {
        return split(stored, " ", Cidr::parse);
    }

    /** Stored form of the users: "name:hash" one a line (a name holds no colon); null when none. */
    static String joinUsers(List<BasicAuthCredential> users) {
        return users.isEmpty() ? null : users.stream().map(user -> user.username() + ":" + user.bcryptHash())
                .collect(Collectors.joining("\n"));
    }

    static List<BasicAuthCredential> splitUsers(String stored) {
        return split(stored, "\n", line -> {
            int colon = line.indexOf(':');
            return new BasicAuthCredential(line.substring(0, colon), line.substring(colon + 1));
        });
    }

    private static <T> List<T> split(String stored, String separator, Function<String, T> parse) {
        if (stored == null || stored.isEmpty()) {
            return List.of();
        }
        List<T> values = new ArrayList<>();
        for (String part : stored.split(separator)) {
            if (!part.isEmpty()) {
                values.add(parse.apply(part));
            }
        }
        return values;
    }
}
