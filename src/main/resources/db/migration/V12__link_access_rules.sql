-- Issue 14: visitor access rules per link, all optional and off by default (NULL). The IP lists are enforced by the
-- gateway's NGINX; the basic-auth users travel to the home side in the snippet. CIDRs are stored normalised, one
-- space between entries; users as "name:bcrypt-hash", one a line. Never a password, never a default user.
ALTER TABLE link ADD COLUMN access_allow VARCHAR(12000);
ALTER TABLE link ADD COLUMN access_deny VARCHAR(12000);
ALTER TABLE link ADD COLUMN access_basic_auth VARCHAR(4000);
