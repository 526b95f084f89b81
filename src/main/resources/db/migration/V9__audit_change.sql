-- Issue 14: an edit, a key rotation or a change of access rules is recorded with its old and its new value
-- ("from -> to"), never a key or a password.
ALTER TABLE audit_event ADD COLUMN change_text VARCHAR(2000);
