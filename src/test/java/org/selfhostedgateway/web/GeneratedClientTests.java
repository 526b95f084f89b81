package org.selfhostedgateway.web;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.client.ApiClient;
import org.selfhostedgateway.client.ApiException;
import org.selfhostedgateway.client.api.LinksApi;
import org.selfhostedgateway.client.model.AccessRulesRequest;
import org.selfhostedgateway.client.model.BasicAuthUser;
import org.selfhostedgateway.client.model.CreateLinkRequest;
import org.selfhostedgateway.client.model.Link;
import org.selfhostedgateway.client.model.NoticeRequest;
import org.selfhostedgateway.client.model.RotateKeysRequest;
import org.selfhostedgateway.client.model.UpdateLinkRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A Java client generated from openapi.yaml during the build drives the running application. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratedClientTests {

    @LocalServerPort
    int port;

    @Test
    void theGeneratedClientSetsAndClearsALinksAccessRules() throws Exception {
        LinksApi links = new LinksApi(client(TestApi.TEST_TOKEN));
        Link created = links.createLink(new CreateLinkRequest().fqdn("access.client.example.com").expose("web:80"));
        assertThat(created.getAccess().getAllow()).isEmpty();

        Link ruled = links.replaceLinkAccess(created.getId(), new AccessRulesRequest()
                .allow(java.util.List.of("203.0.113.0/24", "2001:DB8::/32")).deny(java.util.List.of("203.0.113.9"))
                .basicAuth(java.util.List.of(new BasicAuthUser().username("alice").password("a long password"))));

        assertThat(ruled.getAccess().getAllow()).containsExactly("203.0.113.0/24", "2001:db8::/32");
        assertThat(ruled.getAccess().getDeny()).containsExactly("203.0.113.9/32");
        assertThat(ruled.getAccess().getBasicAuthUsers()).containsExactly("alice");
        assertThat(ruled.getHomeUpdate()).contains("LINK_BASIC_AUTH");
        assertThat(ruled.getCompose()).contains("LINK_BASIC_AUTH").doesNotContain("a long password");
        assertThat(links.getLink(created.getId()).getAccess()).isEqualTo(ruled.getAccess());

        ApiException refused = catchThrowableOfType(ApiException.class, () -> links.replaceLinkAccess(
                created.getId(), new AccessRulesRequest().deny(java.util.List.of("203.0.113.9/24"))));
        assertThat(refused.getCode()).isEqualTo(400);
        assertThat(refused.getResponseBody()).contains("deny[0]").contains("203.0.113.0/24");

        Link cleared = links.replaceLinkAccess(created.getId(), new AccessRulesRequest());
        assertThat(cleared.getAccess().getAllow()).isEmpty();
        assertThat(cleared.getAccess().getDeny()).isEmpty();
        assertThat(cleared.getAccess().getBasicAuthUsers()).isEmpty();
        links.deleteLink(created.getId());
    }

    @Test
    void theGeneratedClientCreatesALinkWithItsAccessRules() throws Exception {
        LinksApi links = new LinksApi(client(TestApi.TEST_TOKEN));
        Link created = links.createLink(new CreateLinkRequest().fqdn("born-ruled.client.example.com").expose("web:80")
                .access(new AccessRulesRequest().allow(java.util.List.of("203.0.113.0/24"))
                        .basicAuth(java.util.List.of(new BasicAuthUser().username("alice").password("a long password")))));

        assertThat(created.getAccess().getAllow()).containsExactly("203.0.113.0/24");
        assertThat(created.getAccess().getBasicAuthUsers()).containsExactly("alice");
        assertThat(created.getCompose()).contains("LINK_BASIC_AUTH").doesNotContain("a long password");
        links.deleteLink(created.getId());
    }

    @Test
    void theGeneratedClientCreatesReadsListsAndDeletesALink() throws Exception {
        LinksApi links = new LinksApi(client(TestApi.TEST_TOKEN));

        Link created = links.createLink(new CreateLinkRequest().fqdn("client.example.com").expose("web:8080"));
        assertThat(created.getFqdn()).isEqualTo("client.example.com");
        assertThat(created.getState()).isEqualTo(Link.StateEnum.PROVISIONING);
        assertThat(created.getCompose()).contains("GATEWAY_ENDPOINT");

        assertThat(links.getLink(created.getId()).getUdpPort()).isEqualTo(created.getUdpPort());
        assertThat(links.listLinks(null)).extracting(Link::getId).contains(created.getId());
        assertThat(links.listLinks("client.example.com")).extracting(Link::getId).containsExactly(created.getId());
        assertThat(links.getLinkCompose(created.getId())).as("the snippet through its own generated method")
                .isEqualTo(created.getCompose());
        assertThat(created.getCreatedBy()).isEqualTo("admin");
        assertThat(created.getVisitorAddress()).isEqualTo(Link.VisitorAddressEnum.PROXY_PROTOCOL);
        Link moved = links.updateLink(created.getId(),
                new UpdateLinkRequest().visitorAddress(UpdateLinkRequest.VisitorAddressEnum.NONE));
        assertThat(moved.getVisitorAddress()).isEqualTo(Link.VisitorAddressEnum.NONE);
        assertThat(moved.getCompose()).doesNotContain("GATEWAY_PROXY_PROTOCOL");

        ApiException conflict = catchThrowableOfType(ApiException.class, () -> links.createLink(
                new CreateLinkRequest().fqdn("client.example.com").expose("other:80")));
        assertThat(conflict.getCode()).isEqualTo(409);
        assertThat(conflict.getResponseBody()).contains("\"linkId\":\"" + created.getId() + "\"");

        links.deleteLink(created.getId());

        ApiException gone = catchThrowableOfType(ApiException.class, () -> links.getLink(created.getId()));
        assertThat(gone.getCode()).isEqualTo(404);
        assertThat(gone.getResponseBody()).contains("No link has the id");
        ApiException snippetGone = catchThrowableOfType(ApiException.class,
                () -> links.getLinkCompose(created.getId()));
        assertThat(snippetGone.getCode()).as("404, not 406, whatever the client accepts").isEqualTo(404);
        assertThat(snippetGone.getResponseHeaders().firstValue("Content-Type")).hasValue("application/problem+json");
        ApiException deletedTwice = catchThrowableOfType(ApiException.class, () -> links.deleteLink(created.getId()));
        assertThat(deletedTwice.getCode()).isEqualTo(404);
    }

    @Test
    void theGeneratedClientSetsAndClearsALinksNotice() throws Exception {
        LinksApi links = new LinksApi(client(TestApi.TEST_TOKEN));
        Link link = links.createLink(new CreateLinkRequest().fqdn("noticed-client.example.com").expose("web:80"));

        Link noted = links.setLinkNotice(link.getId(), new NoticeRequest().notice("labels refused: why"));
        assertThat(noted.getNotice()).isEqualTo("labels refused: why");
        assertThat(links.listLinks("noticed-client.example.com").get(0).getNotice()).isEqualTo("labels refused: why");
        assertThat(links.setLinkNotice(link.getId(), new NoticeRequest()).getNotice()).isNull();
        links.deleteLink(link.getId());
    }

    @Test
    void theGeneratedClientCreatesALinkWithAliasesAndEditsItInPlace() throws Exception {
        LinksApi links = new LinksApi(client(TestApi.TEST_TOKEN));

        Link created = links.createLink(new CreateLinkRequest().fqdn("named.client.example.com").expose("web:8080")
                .aliases(java.util.List.of("www.named.client.example.com")));
        assertThat(created.getAliases()).containsExactly("www.named.client.example.com");
        assertThat(links.listLinks("www.named.client.example.com")).extracting(Link::getId)
                .containsExactly(created.getId());

        Link edited = links.updateLink(created.getId(), new UpdateLinkRequest().expose("web:9090")
                .aliases(java.util.List.of("www.named.client.example.com", "new.named.client.example.com")));
        assertThat(edited.getId()).isEqualTo(created.getId());
        assertThat(edited.getUdpPort()).isEqualTo(created.getUdpPort());
        assertThat(edited.getGatewayPublicKey()).isEqualTo(created.getGatewayPublicKey());
        assertThat(edited.getExpose()).isEqualTo("web:9090");
        assertThat(edited.getAliases()).containsExactly("www.named.client.example.com",
                "new.named.client.example.com");
        assertThat(edited.getHomeUpdate()).contains("must take the new snippet");
        assertThat(edited.getCompose()).contains("EXPOSE: web:9090");

        ApiException taken = catchThrowableOfType(ApiException.class, () -> links.createLink(
                new CreateLinkRequest().fqdn("new.named.client.example.com").expose("web:8080")));
        assertThat(taken.getCode()).isEqualTo(409);
        assertThat(taken.getResponseBody()).contains("\"ownerId\":\"" + created.getId() + "\"");
        ApiException nothing = catchThrowableOfType(ApiException.class,
                () -> links.updateLink(created.getId(), new UpdateLinkRequest()));
        assertThat(nothing.getCode()).isEqualTo(400);
        links.deleteLink(created.getId());
    }

    @Test
    void theGeneratedClientRotatesKeysAndReadsTheWireGuardConfig() throws Exception {
        LinksApi links = new LinksApi(client(TestApi.TEST_TOKEN));
        Link created = links.createLink(new CreateLinkRequest().fqdn("client-keys.example.com").expose("web:8080"));

        Link rotated = links.rotateLinkKeys(created.getId(), new RotateKeysRequest());
        assertThat(rotated.getId()).isEqualTo(created.getId());
        assertThat(rotated.getUdpPort()).isEqualTo(created.getUdpPort());
        assertThat(rotated.getGatewayPublicKey()).isNotEqualTo(created.getGatewayPublicKey());
        assertThat(rotated.getClientPublicKey()).isNotEqualTo(created.getClientPublicKey());
        assertThat(rotated.getKeysRotatedAt()).isNotNull();
        assertThat(rotated.getHomeUpdate()).contains("The old keys stopped working now");
        assertThat(created.getKeysRotatedAt()).isNull();

        String config = links.getLinkWireGuardConfig(created.getId());
        assertThat(config).contains("[Interface]", "Address = 10.231.0.2/30",
                "PublicKey = " + rotated.getGatewayPublicKey(), "Endpoint = " + rotated.getEndpoint());

        String supplied = new org.selfhostedgateway.keys.WireGuardKeys().generate().publicKey();
        Link switched = links.rotateLinkKeys(created.getId(), new RotateKeysRequest().clientPublicKey(supplied));
        assertThat(switched.getClientPublicKey()).isEqualTo(supplied);
        ApiException sameKey = catchThrowableOfType(ApiException.class, () -> links.rotateLinkKeys(created.getId(),
                new RotateKeysRequest().clientPublicKey(supplied)));
        assertThat(sameKey.getCode()).isEqualTo(400);
        ApiException noKey = catchThrowableOfType(ApiException.class,
                () -> links.rotateLinkKeys(created.getId(), null));
        assertThat(noKey.getCode()).as("a supplied-key link needs its new key").isEqualTo(400);
        assertThat(noKey.getResponseBody()).contains("supplied by the caller");

        ApiException gone = catchThrowableOfType(ApiException.class,
                () -> links.getLinkWireGuardConfig("no-such-link"));
        assertThat(gone.getCode()).isEqualTo(404);
    }

    @Test
    void theGeneratedClientSeesProblemsForBadInputAndBadTokens() {
        ApiException invalid = catchThrowableOfType(ApiException.class, () -> new LinksApi(client(TestApi.TEST_TOKEN))
                .createLink(new CreateLinkRequest().fqdn("not a host").expose("web:8080")));
        assertThat(invalid.getCode()).isEqualTo(400);
        assertThat(invalid.getResponseBody()).contains("fqdn");

        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> new LinksApi(client("wrong-token-wrong-token")).listLinks(null));
        assertThat(refused.getCode()).isEqualTo(401);
    }

    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }
}
