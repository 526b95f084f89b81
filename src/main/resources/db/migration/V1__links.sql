-- One row per link. The unique constraints, not only the application's lock, keep fqdns and UDP ports unique.
CREATE TABLE link (
    id                  VARCHAR(36)              NOT NULL PRIMARY KEY,
    fqdn                VARCHAR(253)             NOT NULL,
    expose              VARCHAR(261)             NOT NULL,
    udp_port            INTEGER                  NOT NULL,
    gateway_private_key VARCHAR(200)             NOT NULL,
    gateway_public_key  VARCHAR(44)              NOT NULL,
    client_private_key  VARCHAR(200),
    client_public_key   VARCHAR(44)              NOT NULL,
    state               VARCHAR(20)              NOT NULL,
    state_reason        VARCHAR(2000),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    version             BIGINT                   NOT NULL,
    CONSTRAINT uk_link_fqdn UNIQUE (fqdn),
    CONSTRAINT uk_link_udp_port UNIQUE (udp_port),
    CONSTRAINT ck_link_udp_port CHECK (udp_port BETWEEN 1 AND 65535),
    CONSTRAINT ck_link_state CHECK (state IN ('PROVISIONING', 'ACTIVE', 'FAILED'))
);
