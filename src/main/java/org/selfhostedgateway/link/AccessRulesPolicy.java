package org.selfhostedgateway.link;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.selfhostedgateway.link.AccessRules.BasicAuthCredential;
import org.selfhostedgateway.link.AccessRulesRequest.BasicAuthUser;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Decides whether access rules may be stored, before anything is: every refused entry is named in one 400. CIDRs are
 * stored in canonical form; passwords are hashed here with bcrypt and never kept.
 */
@Component
class AccessRulesPolicy {

    static final int MAX_NETWORKS = 200;
    static final int MAX_USERS = 20;
    static final int MIN_PASSWORD_LENGTH = 8;
    /** bcrypt reads no further than 72 bytes: a longer password would be cut without a word. */
    static final int MAX_PASSWORD_BYTES = 72;

    /** Letters, digits and . _ @ + -: safe in the home side's environment variable and its Caddyfile alike. */
    static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._@+-]{1,64}$");
    /** Cost 04 to 16: a higher cost makes every request at home wait seconds for the check. */
    static final Pattern BCRYPT_HASH = Pattern.compile("^\\$2[aby]\\$(0[4-9]|1[0-6])\\$[./A-Za-z0-9]{53}$");

    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();

    /** The request checked and its passwords hashed; users given by name alone keep the hash they have. */
    record Checked(List<Cidr> allow, List<Cidr> deny, List<User> users) {

        /** A user to store; a null hash keeps the one stored for that name. */
        record User(int index, String username, String bcryptHash) {
            @Override
            public String toString() {
                return username;
            }
        }

        /** The rules to store, given those stored now; refused when a kept user has no stored password. */
        AccessRules resolve(AccessRules current) {
            Map<String, String> stored = new HashMap<>();
            current.users().forEach(user -> stored.put(user.username(), user.bcryptHash()));
            List<Map<String, String>> errors = new ArrayList<>();
            List<BasicAuthCredential> credentials = new ArrayList<>();
            for (User user : users) {
                String hash = user.bcryptHash() != null ? user.bcryptHash() : stored.get(user.username());
                if (hash == null) {
                    errors.add(error("basicAuth[" + user.index() + "]", "needs a password or passwordHash: "
                            + user.username() + " is not a user of this link yet, so there is none to keep"));
                }
                credentials.add(new BasicAuthCredential(user.username(), hash));
            }
            if (!errors.isEmpty()) {
                throw new AccessRulesRefusedException(errors);
            }
            return new AccessRules(allow, deny, credentials);
        }
    }

    Checked check(AccessRulesRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        List<Cidr> allow = networks("allow", request.allow(), errors);
        List<Cidr> deny = networks("deny", request.deny(), errors);
        List<Given> users = new ArrayList<>();
        List<BasicAuthUser> given = request.basicAuth() == null ? List.of() : request.basicAuth();
        if (given.size() > MAX_USERS) {
            errors.add(error("basicAuth", "may hold at most " + MAX_USERS + " users, not " + given.size()));
        }
        else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < given.size(); i++) {
                Given user = user(i, given.get(i), names, errors);
                if (user != null) {
                    users.add(user);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new AccessRulesRefusedException(errors);
        }
        // Hashed only once everything is known to be valid: bcrypt is slow on purpose.
        List<Checked.User> hashed = users.stream().map(user -> new Checked.User(user.index(), user.username(),
                user.password() != null ? bcrypt.encode(user.password()) : user.passwordHash())).toList();
        return new Checked(allow, deny, hashed);
    }

    /** A valid user as given: a password, a hash, or neither (keep the stored one). */
    private record Given(int index, String username, String password, String passwordHash) {
        @Override
        public String toString() {
            return username;
        }
    }

    private static List<Cidr> networks(String field, List<String> texts, List<Map<String, String>> errors) {
        if (texts == null || texts.isEmpty()) {
            return List.of();
        }
        if (texts.size() > MAX_NETWORKS) {
            errors.add(error(field, "may hold at most " + MAX_NETWORKS + " networks, not " + texts.size()
                    + " (combine neighbouring ones into a wider prefix)"));
            return List.of();
        }
        List<Cidr> networks = new ArrayList<>();
        Map<Cidr, Integer> seen = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String name = field + "[" + i + "]";
            String text = texts.get(i);
            if (text == null) {
                errors.add(error(name, "must be a network such as 203.0.113.0/24, not null"));
                continue;
            }
            try {
                Cidr cidr = Cidr.parse(text.strip());
                Integer earlier = seen.putIfAbsent(cidr, i);
                if (earlier != null) {
                    errors.add(error(name, "is " + cidr + " again (as " + field + "[" + earlier + "])"));
                    continue;
                }
                networks.add(cidr);
            }
            catch (Cidr.InvalidCidrException e) {
                errors.add(error(name, e.getMessage()));
            }
        }
        return networks;
    }

    private static Given user(int i, BasicAuthUser user, Set<String> names, List<Map<String, String>> errors) {
        String field = "basicAuth[" + i + "]";
        if (user == null) {
            errors.add(error(field, "must be a user such as {\"username\": \"alice\", \"password\": \"...\"}"));
            return null;
        }
        int before = errors.size();
        if (user.username() == null || !USERNAME.matcher(user.username()).matches()) {
            errors.add(error(field + ".username", user.username() == null ? "is required"
                    : "must be 1 to 64 of the characters A-Z a-z 0-9 . _ @ + - (no colon, no space)"));
        }
        else if (!names.add(user.username())) {
            errors.add(error(field + ".username", "is " + user.username() + " again: each user once"));
        }
        if (user.password() != null && user.passwordHash() != null) {
            errors.add(error(field, "gives both password and passwordHash: give one of them"));
        }
        else if (user.password() != null) {
            int bytes = user.password().getBytes(StandardCharsets.UTF_8).length;
            if (user.password().codePointCount(0, user.password().length()) < MIN_PASSWORD_LENGTH) {
                errors.add(error(field + ".password", "must be at least " + MIN_PASSWORD_LENGTH + " characters"));
            }
            else if (bytes > MAX_PASSWORD_BYTES) {
                errors.add(error(field + ".password", "must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8 "
                        + "(bcrypt ignores the rest), not " + bytes));
            }
            else if (user.password().chars().anyMatch(Character::isISOControl)) {
                errors.add(error(field + ".password", "must not hold control characters"));
            }
        }
        else if (user.passwordHash() != null && !BCRYPT_HASH.matcher(user.passwordHash()).matches()) {
            errors.add(error(field + ".passwordHash", "must be a bcrypt hash: $2a$, $2b$ or $2y$, a cost from 04 to "
                    + "16, then 53 characters of . / A-Z a-z 0-9 (60 in all), as htpasswd -nbB prints it"));
        }
        if (errors.size() > before) {
            return null;
        }
        return new Given(i, user.username(), user.password(), user.passwordHash());
    }

    private static Map<String, String> error(String field, String message) {
        return Map.of("field", field, "message", message);
    }
}
