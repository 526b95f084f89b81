package org.selfhostedgateway.link;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.HostileStrings;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten thousand generated values per field: each is either refused by validation (the API answers 400) or accepted,
 * and an accepted one is plain enough that it cannot change the meaning of the compose snippet it lands in.
 */
class HostileInputTests {

    private static final int CASES = 10_000;
    private static final String KEY = "Wipd6Pv7ttmII4/Oj82I5tmGZwuw6ucsE3G+hwsMR08=";
    private static final Pattern PLAIN_FQDN = Pattern.compile("[a-z0-9.-]{1,253}");
    private static final Pattern PLAIN_EXPOSE = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]{3,261}");

    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
    private final ComposeSnippets snippets = new ComposeSnippets(
            new LinkProperties("gateway.example.test", "selfhosted-gateway/client-link:latest"), null);

    @Test
    void generatedFqdnsAreRefusedOrPlain() {
        List<String> fqdns = new HostileStrings(1).around(List.of("app.example.com", "a-b.c-d.example.org",
                "x1.y2.z3.example.net", "UPPER.Example.COM"), CASES);
        int accepted = 0;
        for (String fqdn : fqdns) {
            if (isValid(new CreateLinkRequest(fqdn, "app:80", null), "fqdn")) {
                accepted++;
                String stored = LinkService.normalizeFqdn(fqdn);
                assertThat(stored).as("accepted %s", printable(fqdn)).matches(PLAIN_FQDN);
                assertSnippetCarriesExactly(stored, "app:80");
            }
        }
        assertThat(accepted).as("the generator also makes valid names").isGreaterThan(100);
    }

    @Test
    void generatedExposesAreRefusedOrPlain() {
        List<String> exposes = new HostileStrings(2).around(List.of("nginx:80", "my_app:8080", "10.0.0.5:443",
                "[fd00::5]:8443", "host.lan:65535"), CASES);
        int accepted = 0;
        for (String expose : exposes) {
            if (isValid(new CreateLinkRequest("app.example.com", expose, null), "expose")) {
                accepted++;
                assertThat(expose).as("accepted %s", printable(expose)).matches(PLAIN_EXPOSE);
                int port = Integer.parseInt(expose.substring(expose.lastIndexOf(':') + 1));
                assertThat(port).isBetween(1, 65535);
                assertSnippetCarriesExactly("app.example.com", expose);
            }
        }
        assertThat(accepted).isGreaterThan(100);
    }

    @Test
    void generatedPublicKeysAreRefusedOrWellFormed() {
        List<String> keys = new HostileStrings(3).around(List.of(KEY, "QQnuRGUkW2wDKb6asosQYPpz4WHGqV3/Mpz67hq5mUk="),
                CASES);
        for (String key : keys) {
            if (isValid(new CreateLinkRequest("app.example.com", "app:80", key), "clientPublicKey")) {
                assertThat(org.selfhostedgateway.keys.WireGuardKeys.isWellFormed(key)).as(printable(key)).isTrue();
            }
        }
    }

    private boolean isValid(CreateLinkRequest request, String field) {
        Set<ConstraintViolation<CreateLinkRequest>> violations = validator.validate(request);
        assertThat(violations).allSatisfy(v -> assertThat(v.getPropertyPath().toString()).isEqualTo(field));
        return violations.isEmpty();
    }

    /** The accepted values come back out of the YAML exactly, and add no key to the service. */
    @SuppressWarnings("unchecked")
    private void assertSnippetCarriesExactly(String fqdn, String expose) {
        Link link = new Link("0f8fad5b-d9cb-469f-a165-70867728950e", fqdn, expose, 51820, "v1:unused",
                KEY, null, KEY, Instant.EPOCH, "admin", null, VisitorAddress.NONE);
        Map<String, Object> services = new Yaml().load(snippets.render(link, true));
        assertThat(services).hasSize(1);
        Map<String, Object> service = (Map<String, Object>) services.values().iterator().next();
        assertThat(service).containsOnlyKeys("image", "restart", "environment", "cap_add", "devices", "volumes");
        Map<String, Object> environment = (Map<String, Object>) service.get("environment");
        assertThat(environment).containsEntry("LINK_DOMAIN", fqdn).containsEntry("EXPOSE", expose).hasSize(5);
        assertThat(service.get("volumes")).isEqualTo(List.of("./link-data/" + fqdn + ":/data"));
    }

    private static String printable(String value) {
        return value.chars().mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u%04x", c)
                : String.valueOf((char) c)).reduce("", String::concat);
    }
}
