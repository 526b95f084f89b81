package org.selfhostedgateway.docker;

import java.util.List;
import java.util.Optional;

/**
 * The gateway NGINX containers on the gateway network (label {@code io.selfhosted-gateway.role=nginx}), found with one
 * list call. The gateway never runs anything inside them: they check and reload their map when asked through files
 * beside it (images/README.md, gateway-nginx).
 */
public interface NginxContainers {

    /** Names of the running instances; empty when none runs. */
    List<String> running();

    /** Where they are looked for, for messages users read. */
    String whereExpected();

    /** The address of a running instance on the gateway network: the front door that visitors reach. */
    Optional<String> address();
}
