package org.selfhostedgateway.ui;

import org.selfhostedgateway.link.LinkResponse;
import org.selfhostedgateway.link.UpdateLinkRequest;

/**
 * The link page's edit form: the service and the aliases (names separated by spaces, commas or lines; an empty box
 * removes them all). Both are always sent, so the request always names what the page shows.
 */
record LinkEditForm(String expose, String aliases) {

    static LinkEditForm of(LinkResponse link) {
        return new LinkEditForm(link.expose(), String.join("\n", link.aliases()));
    }

    UpdateLinkRequest request() {
        return new UpdateLinkRequest(null, expose == null || expose.isBlank() ? null : expose.strip(),
                LinkForm.names(aliases));
    }
}
