-- Issue 11: does the gateway send each visitor's address to the link's home side (PROXY protocol)? Links made
-- before this change run a home side that does not read it: they stay NONE until their owner moves them over.
-- New links are stored as PROXY_PROTOCOL by the application.
ALTER TABLE link ADD COLUMN visitor_address VARCHAR(20) DEFAULT 'NONE' NOT NULL;
ALTER TABLE link ADD CONSTRAINT ck_link_visitor_address CHECK (visitor_address IN ('PROXY_PROTOCOL', 'NONE'));
