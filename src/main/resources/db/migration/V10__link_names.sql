-- Issue 14: several names per link. link_name holds every name of every link, its main fqdn (position 0) and each
-- alias (1, 2, ... in the order the user gave them), so the primary key, not only the application's check, keeps a
-- name to one link whether it is a main name or an alias. Rows go with their link.
CREATE TABLE link_name (
    name     VARCHAR(253) NOT NULL,
    link_id  VARCHAR(36)  NOT NULL,
    position INTEGER      NOT NULL,
    CONSTRAINT pk_link_name PRIMARY KEY (name),
    CONSTRAINT fk_link_name_link FOREIGN KEY (link_id) REFERENCES link (id) ON DELETE CASCADE,
    CONSTRAINT ck_link_name_position CHECK (position >= 0)
);
CREATE INDEX ix_link_name_link ON link_name (link_id);

INSERT INTO link_name (name, link_id, position) SELECT fqdn, id, 0 FROM link;
