package org.selfhostedgateway.link;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/links")
@Tag(name = "links", description = "Links: one WireGuard tunnel from the gateway to one service at home")
class LinkController {

    static final String APPLICATION_YAML = "application/yaml";

    private final LinkService links;
    private final LinkAccessRules accessRules;
    private final LinkKeys linkKeys;

    LinkController(LinkService links, LinkAccessRules accessRules, LinkKeys linkKeys) {
        this.links = links;
        this.accessRules = accessRules;
        this.linkKeys = linkKeys;
    }

    @Operation(operationId = "createLink", summary = "Create a link, or return the existing one for this fqdn")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "200", description = "The fqdn was already linked to the same expose")
    @ApiResponse(responseCode = "400", description = "Invalid fqdn, expose, key, alias or port entry (a range over "
            + "GATEWAY_PORTS_RANGE_MAX, a PROXY header on udp)")
    @ApiResponse(responseCode = "409", description = "The fqdn is linked to another expose, client key, aliases or "
            + "ports; a name (fqdn or alias) belongs to another link (the problem names it and that link: name, "
            + "ownerId, ownerFqdn); or a public port is taken (another link, a container on the engine, 80/443, the API port, the WireGuard "
            + "range)")
    @ApiResponse(responseCode = "503", description = "No free UDP port in the configured range")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<LinkResponse> create(@Valid @RequestBody CreateLinkRequest request) {
        LinkService.CreateResult result = links.create(request);
        LinkResponse body = result.link();
        if (!result.created()) {
            return ResponseEntity.ok(body);
        }
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(body.id()).toUri();
        return ResponseEntity.created(location).body(body);
    }

    @Operation(operationId = "listLinks", summary = "List links, optionally only the one with this name (its fqdn or "
            + "one of its aliases)")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    List<LinkResponse> list(@Parameter(description = "Find the link of this host name, main fqdn or alias")
    @RequestParam(required = false) String fqdn) {
        return links.list(fqdn);
    }

    @Operation(operationId = "getLink", summary = "One link, with its compose snippet")
    @ApiResponse(responseCode = "200", description = "The link")
    @ApiResponse(responseCode = "404", description = "No such link")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    LinkResponse get(@PathVariable String id) {
        return links.get(id);
    }

    @Operation(operationId = "getLinkCompose",
            summary = "The compose service to paste under services: on the home server",
            description = "YAML by default (curl, a browser); the same text as a JSON string when the Accept "
                    + "header asks for application/json first (generated clients do), or as text/plain when it "
                    + "asks for that. The client private key is in it only for the admin and the named token that "
                    + "created the link.")
    // text/plain is served but not listed: the Java generator would then insist on it for every answer.
    @ApiResponse(responseCode = "200", description = "The snippet", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "string")),
            @Content(mediaType = APPLICATION_YAML, schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "404", description = "No such link")
    // No 'produces': whatever the caller accepts, it gets the snippet or a problem, never a 406.
    @GetMapping(path = "/{id}/compose")
    ResponseEntity<String> compose(@PathVariable String id,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        String snippet = links.compose(id);
        MediaType type = SnippetFormats.choose(accept);
        return ResponseEntity.ok().contentType(type).body(SnippetFormats.encode(snippet, type));
    }

    @Operation(operationId = "replaceLinkPorts", summary = "Set a live link's raw TCP and UDP ports",
            description = "Replaces the whole list; the keys and the WireGuard port stay. The gateway side restarts "
                    + "with the new ports (HTTPS pauses for one reconnect). The answer carries the new compose "
                    + "snippet and homeUpdate, which says whether the home side must take it.")
    @ApiResponse(responseCode = "200", description = "The link with its new ports")
    @ApiResponse(responseCode = "400", description = "An invalid entry (a range over GATEWAY_PORTS_RANGE_MAX, a "
            + "PROXY header on udp); nothing changed")
    @ApiResponse(responseCode = "404", description = "No such link")
    @ApiResponse(responseCode = "409", description = "A public port is taken (another link, a container on the "
            + "engine, 80/443, the API port, the WireGuard range); nothing changed")
    @PutMapping(path = "/{id}/ports", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    LinkResponse replacePorts(@PathVariable String id, @Valid @RequestBody PortsRequest request) {
        return links.replacePorts(id, request.ports());
    }

    @Operation(operationId = "updateLink", summary = "Change a link in place: its service, its extra names, how "
            + "it delivers the visitor's address",
            description = "Give only what changes. The id, the UDP port, the keys and the main fqdn stay. expose and "
                    + "aliases are checked as at create (aliases replaces the whole list); NGINX routes every name "
                    + "at once, without restarting the link's gateway side. The answer carries the new compose "
                    + "snippet and, when expose or aliases changed, homeUpdate: the home side must take the new "
                    + "snippet (its EXPOSE and LINK_DOMAIN). visitorAddress moves a link made before the gateway "
                    + "sent visitors' addresses to PROXY_PROTOCOL (or back to NONE): the gateway routes the new way "
                    + "at once; update the home side with the snippet in the answer right after.")
    @ApiResponse(responseCode = "200", description = "The link, with the snippet for its home side")
    @ApiResponse(responseCode = "400", description = "Invalid body: a field as at create, an alias given twice or "
            + "equal to the main fqdn, more than " + LinkNames.MAX_ALIASES + " aliases, or nothing to change")
    @ApiResponse(responseCode = "404", description = "No such link")
    @ApiResponse(responseCode = "409", description = "An alias belongs to another link (the problem names it and "
            + "that link: name, ownerId, ownerFqdn); nothing changed")
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    LinkResponse update(@PathVariable String id, @Valid @RequestBody UpdateLinkRequest request) {
        return links.edit(id, request);
    }

    @Operation(operationId = "deleteLink", summary = "Delete a link and free its UDP port and raw ports")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such link")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        links.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "setLinkNotice", summary = "Set or clear the note of a link's manager",
            description = "Whoever manages the link (the home agent, for links made from labels) says here what its "
                    + "users should know, such as why the labels of its container are refused. Shown as notice in "
                    + "every answer about the link and on its page. Only the admin and the token that created the "
                    + "link may set it.")
    @ApiResponse(responseCode = "200", description = "The link, with its notice")
    @ApiResponse(responseCode = "400", description = "A notice over 2000 characters")
    @ApiResponse(responseCode = "403", description = "A named token that did not create the link")
    @ApiResponse(responseCode = "404", description = "No such link")
    @PutMapping(path = "/{id}/notice", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    LinkResponse setNotice(@PathVariable String id, @Valid @RequestBody NoticeRequest request) {
        return links.changeNotice(id, request.notice());
    }

    @Operation(operationId = "replaceLinkAccess", summary = "Set a link's visitor access rules",
            description = "Replaces the whole rule set; {} (or no body) removes every rule. allow and deny (CIDRs) are enforced "
                    + "by the gateway at once: a refused visitor's connection is closed there (HTTP gets 403), deny "
                    + "wins over allow, and a non-empty allow list refuses everyone else. basicAuth users are asked "
                    + "for at home, where TLS ends, once it runs the new snippet; passwords are stored only as bcrypt "
                    + "hashes and never shown. A user given by name alone keeps its password. The answer carries the "
                    + "new snippet and homeUpdate.")
    @ApiResponse(responseCode = "200", description = "The link with its new rules")
    @ApiResponse(responseCode = "400", description = "An invalid entry, named in errors; nothing changed")
    @ApiResponse(responseCode = "404", description = "No such link")
    @PutMapping(path = "/{id}/access", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    LinkResponse replaceAccess(@PathVariable String id,
            @RequestBody(required = false) AccessRulesRequest request) {
        // No body at all clears the rules, as {} does.
        return accessRules.replace(id, request == null ? AccessRulesRequest.none() : request);
    }

    @Operation(operationId = "rotateLinkKeys", summary = "Replace a link's WireGuard keys",
            description = "Always a new gateway key pair; a new client key pair made by the gateway, unless the body "
                    + "gives the client's new public key (required for a link whose client key was supplied, and "
                    + "switches a link whose key the gateway made to a supplied one). The id, the UDP port, the names "
                    + "and the ports stay. The old keys stop working at once: the gateway side restarts with the new "
                    + "ones, and the link does not serve until the home side runs the new snippet (homeUpdate says "
                    + "what to do). Answers like getLink; audited as LINK_KEYS_ROTATED.")
    @ApiResponse(responseCode = "200", description = "The link with its new keys and the snippet for its home side")
    @ApiResponse(responseCode = "400", description = "A supplied-key link without a new clientPublicKey, the current "
            + "key again, or a malformed key; nothing changed")
    @ApiResponse(responseCode = "404", description = "No such link")
    @PostMapping(path = "/{id}/keys", produces = MediaType.APPLICATION_JSON_VALUE)
    LinkResponse rotateKeys(@PathVariable String id,
            @Valid @RequestBody(required = false) RotateKeysRequest request) {
        return linkKeys.rotate(id, request == null ? null : request.clientPublicKey());
    }

    @Operation(operationId = "getLinkWireGuardConfig",
            summary = "The link's home side as a wg-quick config, for running it without Docker",
            description = "text/plain by default (curl, a browser); the same text as a JSON string when the Accept "
                    + "header asks for application/json first (generated clients do). Its comments say what the home "
                    + "machine must serve on its tunnel address (README, \"Without Docker at home\"). The client "
                    + "private key the gateway generated is in it only for the admin and the named token that "
                    + "created the link (each such read is audited); for anyone else a comment says which key to "
                    + "put there.")
    // text/plain is served but not listed, as for getLinkCompose: the Java generator would insist on it otherwise.
    @ApiResponse(responseCode = "200", description = "The config", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such link")
    // No 'produces': whatever the caller accepts, it gets the config or a problem, never a 406.
    @GetMapping(path = "/{id}/wireguard")
    ResponseEntity<String> wireGuardConfig(@PathVariable String id,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        String config = linkKeys.wireGuardConfig(id);
        MediaType type = SnippetFormats.choose(accept, SnippetFormats.TEXT, MediaType.APPLICATION_JSON);
        return ResponseEntity.ok().contentType(type).body(SnippetFormats.encode(config, type));
    }
}
