-- Issue 12: raw TCP and UDP ports per link. link_port holds each entry as the user gave it (a range is one row);
-- link_public_port holds one row per public port it takes, so the primary key, not only the application's lock,
-- keeps a port to one link. Both go with their link.
CREATE TABLE link_port (
    link_id        VARCHAR(36)  NOT NULL,
    position       INTEGER      NOT NULL,
    protocol       VARCHAR(3)   NOT NULL,
    first_port     INTEGER      NOT NULL,
    last_port      INTEGER      NOT NULL,
    target         VARCHAR(261) NOT NULL,
    proxy_protocol VARCHAR(2),
    CONSTRAINT pk_link_port PRIMARY KEY (link_id, position),
    CONSTRAINT fk_link_port_link FOREIGN KEY (link_id) REFERENCES link (id) ON DELETE CASCADE,
    CONSTRAINT ck_link_port_protocol CHECK (protocol IN ('tcp', 'udp')),
    CONSTRAINT ck_link_port_range CHECK (first_port BETWEEN 1 AND 65535 AND last_port BETWEEN first_port AND 65535),
    CONSTRAINT ck_link_port_proxy CHECK (proxy_protocol IS NULL OR proxy_protocol IN ('v1', 'v2'))
);

CREATE TABLE link_public_port (
    link_id  VARCHAR(36) NOT NULL,
    protocol VARCHAR(3)  NOT NULL,
    port     INTEGER     NOT NULL,
    CONSTRAINT pk_link_public_port PRIMARY KEY (protocol, port),
    CONSTRAINT fk_link_public_port_link FOREIGN KEY (link_id) REFERENCES link (id) ON DELETE CASCADE
);
CREATE INDEX ix_link_public_port_link ON link_public_port (link_id);
