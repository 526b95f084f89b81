package org.selfhostedgateway.docker;

/** The gateway NGINX containers on the gateway network (label {@code io.selfhosted-gateway.role=nginx}). */
public interface NginxContainers {

    /** {@code nginx -t} in every instance; the first failure, or success. */
    CommandResult checkConfig(String candidateMapFileName);

    /** {@code nginx -s reload} in every instance. */
    CommandResult reload();

    /** The address of a running instance on the gateway network: the front door that visitors reach. */
    java.util.Optional<String> address();

    /** What a command printed and how it ended. */
    record CommandResult(boolean success, String output) {
    }
}
