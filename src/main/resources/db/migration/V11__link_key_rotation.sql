-- Issue 14: when the link's WireGuard keys were last replaced (POST /links/{id}/keys); null until the first rotation.
ALTER TABLE link ADD COLUMN keys_rotated_at TIMESTAMP WITH TIME ZONE;
