package org.selfhostedgateway.link;

import java.util.Map;

/** Lets tests outside this package read a snippet the way a user's compose would. */
public final class LinkTestSupport {

    private LinkTestSupport() {
    }

    public static Map<String, Object> snippetEnvironment(String compose) {
        return LinkApiTests.snippetEnvironment(compose);
    }
}
