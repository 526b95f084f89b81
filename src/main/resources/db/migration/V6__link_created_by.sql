-- Issue 13: who created each link. created_by is shown as the link's owner ('admin' or 'token <name>');
-- created_by_token_id is the named token that created it, the only caller besides the admin that may read the
-- client private key later. Both are null for links made before this change (then only the admin may).
ALTER TABLE link ADD COLUMN created_by VARCHAR(100);
ALTER TABLE link ADD COLUMN created_by_token_id VARCHAR(36);
