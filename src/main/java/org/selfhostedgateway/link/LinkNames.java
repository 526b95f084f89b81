package org.selfhostedgateway.link;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * The names a link answers on: its main fqdn and its aliases. Checks what the field constraints cannot (a name given
 * twice, an alias equal to the main name) and whether another link holds a name; the link_name table's primary key
 * guards the same rule against anything that slips past.
 */
@Component
class LinkNames {

    /** Enough for www., an old domain and a few more; each name is one more certificate at home. */
    static final int MAX_ALIASES = 20;

    static final String FQDN_MESSAGE = "must be a host name such as app.example.com: letters, digits and hyphens in "
            + "labels separated by dots";

    private final LinkRepository links;

    LinkNames(LinkRepository links) {
        this.links = links;
    }

    /** The aliases as stored (lower case, in the given order), or a 400 naming the first one that cannot be. */
    static List<String> normalized(String fqdn, List<String> requested) {
        List<String> aliases = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String alias = requested.get(i).toLowerCase(Locale.ROOT);
            if (alias.equals(fqdn)) {
                throw invalid(i, "is the link's main name " + fqdn + "; an alias is an extra name");
            }
            if (!seen.add(alias)) {
                throw invalid(i, "is given twice (" + alias + ")");
            }
            aliases.add(alias);
        }
        return aliases;
    }

    /** A 409 naming the first of these names that another link holds, and that link; nothing when all are free. */
    void requireFree(String linkId, String fqdn, List<String> aliases) {
        List<String> all = new ArrayList<>();
        all.add(fqdn);
        all.addAll(aliases);
        List<NameOwner> taken = links.findNameOwners(all, linkId == null ? "" : linkId);
        if (!taken.isEmpty()) {
            // The first clash in the order the caller gave the names, so the problem names the field they wrote.
            NameOwner first = all.stream().flatMap(name -> taken.stream().filter(owner -> owner.name().equals(name)))
                    .findFirst().orElseThrow();
            int index = all.indexOf(first.name());
            throw new LinkNameTakenException(index == 0 ? "fqdn" : "aliases[" + (index - 1) + "]", first);
        }
    }

    private static ErrorResponseException invalid(int index, String message) {
        String field = "aliases[" + index + "]";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + " " + message);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }
}
