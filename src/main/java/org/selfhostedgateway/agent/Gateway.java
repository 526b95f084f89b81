package org.selfhostedgateway.agent;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.selfhostedgateway.client.ApiClient;
import org.selfhostedgateway.client.ApiException;
import org.selfhostedgateway.client.api.LinksApi;
import org.selfhostedgateway.client.api.WhoamiApi;
import org.selfhostedgateway.client.model.AccessRulesRequest;
import org.selfhostedgateway.client.model.BasicAuthUser;
import org.selfhostedgateway.client.model.Caller;
import org.selfhostedgateway.client.model.CreateLinkRequest;
import org.selfhostedgateway.client.model.Link;
import org.selfhostedgateway.client.model.NoticeRequest;
import org.selfhostedgateway.client.model.PortMapping;
import org.selfhostedgateway.client.model.PortsRequest;
import org.selfhostedgateway.client.model.UpdateLinkRequest;

/**
 * The gateway's API as the agent uses it: only through the client generated from openapi.yaml during the build.
 * Every failure is either {@link Unavailable} (try the whole pass again later) or {@link Refused} (this one link
 * cannot be had, for the reason the gateway gives).
 */
class Gateway {

    private final LinksApi links;
    private final WhoamiApi whoAmI;
    private final ObjectMapper json;

    Gateway(URI url, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(url.toString());
        client.setConnectTimeout(Duration.ofSeconds(10));
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        this.links = new LinksApi(client);
        this.whoAmI = new WhoamiApi(client);
        this.json = client.getObjectMapper();
    }

    /** Who the agent's token is: the owner its links show as createdBy, and whether it is the admin. */
    Caller whoAmI() throws Unavailable {
        try {
            return whoAmI.whoAmI();
        }
        catch (ApiException e) {
            throw unavailable("ask who this token is", e);
        }
    }

    List<Link> links() throws Unavailable {
        try {
            return links.listLinks(null);
        }
        catch (ApiException e) {
            throw unavailable("list links", e);
        }
    }

    /** Creates the link, or gets it when the same fqdn, expose and ports exist (the API is idempotent). */
    Link create(String fqdn, List<String> aliases, String expose, List<PortMapping> ports)
            throws Unavailable, Refused {
        try {
            return links.createLink(new CreateLinkRequest().fqdn(fqdn).aliases(aliases).expose(expose).ports(ports));
        }
        catch (ApiException e) {
            throw refusedOr("create a link for " + fqdn, e);
        }
    }

    /** Changes the link's target and extra names in place, same keys; the answer carries the new snippet. */
    Link edit(String linkId, String expose, List<String> aliases) throws Unavailable, Refused {
        try {
            return links.updateLink(linkId, new UpdateLinkRequest().expose(expose).aliases(aliases));
        }
        catch (ApiException e) {
            throw refusedOr("change link " + linkId, e);
        }
    }

    /** Replaces the link's visitor access rules whole (basic-auth users by their bcrypt hashes). */
    Link replaceAccess(String linkId, ContainerLabels.Access access) throws Unavailable, Refused {
        try {
            return links.replaceLinkAccess(linkId, new AccessRulesRequest().allow(access.allow()).deny(access.deny())
                    .basicAuth(access.users().stream().map(user -> new BasicAuthUser().username(user.getKey())
                            .passwordHash(user.getValue())).toList()));
        }
        catch (ApiException e) {
            throw refusedOr("set the access rules of link " + linkId, e);
        }
    }

    /** Replaces the link's raw ports, same keys; the answer carries the new snippet. */
    Link replacePorts(String linkId, List<PortMapping> ports) throws Unavailable, Refused {
        try {
            return links.replaceLinkPorts(linkId, new PortsRequest().ports(ports));
        }
        catch (ApiException e) {
            throw refusedOr("change the ports of link " + linkId, e);
        }
    }

    /** Puts the agent's note on its link for everyone who reads it; null clears it. */
    void notice(String linkId, String notice) throws Unavailable, Refused {
        try {
            links.setLinkNotice(linkId, new NoticeRequest().notice(notice));
        }
        catch (ApiException e) {
            throw refusedOr("set the notice of link " + linkId, e);
        }
    }

    /** The link's compose snippet; it holds the client's private key for the token that created the link. */
    String compose(String linkId) throws Unavailable, Refused {
        try {
            return links.getLinkCompose(linkId);
        }
        catch (ApiException e) {
            throw refusedOr("read the snippet of link " + linkId, e);
        }
    }

    /** Deletes the link; one already gone is fine. */
    void delete(String linkId) throws Unavailable {
        try {
            links.deleteLink(linkId);
        }
        catch (ApiException e) {
            if (e.getCode() != 404) {
                throw unavailable("delete link " + linkId, e);
            }
        }
    }

    /** 4xx but a refused token: this request cannot succeed as it is; anything else may, later. */
    private Refused refusedOr(String what, ApiException e) throws Unavailable {
        if (e.getCode() == 400 || e.getCode() == 404 || e.getCode() == 409 || e.getCode() == 422) {
            return new Refused(detail(e));
        }
        throw unavailable(what, e);
    }

    private Unavailable unavailable(String what, ApiException e) {
        String why = e.getCode() == 0 ? "no answer (" + rootMessage(e) + ")"
                : "HTTP " + e.getCode() + (detail(e).isEmpty() ? "" : ": " + detail(e));
        return new Unavailable("could not " + what + ": " + why);
    }

    /** The problem document's detail, the gateway's own words. */
    private String detail(ApiException e) {
        try {
            JsonNode problem = json.readTree(e.getResponseBody() == null ? "{}" : e.getResponseBody());
            return problem.path("detail").asText("");
        }
        catch (Exception notJson) {
            return "";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The gateway did not answer, or not usefully (5xx, a refused token): the pass is tried again later. */
    static final class Unavailable extends Exception {

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** The gateway refused this one request for a reason in its answer. */
    static final class Refused extends Exception {

        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
