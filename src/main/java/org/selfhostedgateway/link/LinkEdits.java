package org.selfhostedgateway.link;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** What an edit of a link tells its caller: what may change, and what the home side must do after a change. */
final class LinkEdits {

    /** The fields of PATCH /links/{id}, as its problems name them. */
    static final String FIELDS = "expose, aliases, visitorAddress";

    private LinkEdits() {
    }

    static ErrorResponseException nothingToChange() {
        String message = "names nothing to change: give at least one of " + FIELDS;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The body " + message
                + " (a link's fqdn, UDP port and keys stay; delete and create it to change those)");
        problem.setTitle("Nothing to change");
        problem.setProperty("errors", List.of(Map.of("field", "body", "message", message)));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    /**
     * Plain words for the home side after an edit. Its client-link reads EXPOSE (where to forward) and LINK_DOMAIN
     * (the names Caddy serves and gets certificates for); the keys and the endpoint never change in an edit.
     */
    static String homeUpdate(String serviceName, boolean exposeChanged, boolean aliasesChanged,
            boolean visitorAddressChanged, String expose, String linkDomain) {
        if (!exposeChanged && !aliasesChanged) {
            return visitorAddressChanged ? "The gateway delivers the visitor's address the new way at once: the home "
                    + "side must take the new snippet (its GATEWAY_PROXY_PROTOCOL and sysctls) right after, replacing "
                    + "the service " + serviceName + ", and run docker compose up -d." : "Nothing changed.";
        }
        StringBuilder settings = new StringBuilder();
        if (exposeChanged) {
            settings.append("EXPOSE to '").append(expose).append('\'');
        }
        if (aliasesChanged) {
            settings.append(exposeChanged ? " and " : "").append("LINK_DOMAIN to '").append(linkDomain).append('\'');
        }
        StringBuilder update = new StringBuilder("The home side must take the new snippet: replace the service ")
                .append(serviceName).append(" with it (or set its ").append(settings)
                .append(visitorAddressChanged ? ", and GATEWAY_PROXY_PROTOCOL as the snippet has it" : "")
                .append(") and run docker compose up -d. Its keys and endpoint are unchanged.");
        if (exposeChanged) {
            update.append(" Until then visitors still reach the previous service.");
        }
        if (aliasesChanged) {
            update.append(" The gateway routes the new names to this link at once (removed ones stop at once); they "
                    + "serve once the home side has restarted and obtained a certificate for each.");
        }
        return update.toString();
    }
}
