-- Each instance looks up the tokens revoked since its last look once per
-- heartbeat, to end their open event streams.
CREATE INDEX tokens_revoked_at ON tokens (revoked_at);

-- The 304 decision for `GET /items` and `/pool` reads only the latest change
-- number of the caller's items (held or just left) or of the unit's: an
-- index lookup each, no item rows.
CREATE INDEX items_previous_assignee ON items (previous_assignee_id, change_seq);
CREATE INDEX items_unit_seq ON items (unit_id, change_seq);
