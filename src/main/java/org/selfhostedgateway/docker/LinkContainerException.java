package org.selfhostedgateway.docker;

/** A link's container could not be made or started; the message says why in a user's terms. */
public class LinkContainerException extends RuntimeException {

    LinkContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
