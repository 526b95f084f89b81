package org.selfhostedgateway.link;

/** Where a link is in its life: the gateway side is being made, serves, or could not be made. */
public enum LinkState {
    PROVISIONING,
    ACTIVE,
    FAILED
}
