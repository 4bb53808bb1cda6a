-- How work enters and moves (issue 11).
-- Who an item left, and when (by change_seq): delta sync tells each of
-- them to drop it, however many hands it passed through before they pulled.
-- Ids only: a former assignee never receives the item again.
CREATE TABLE item_departures (
  user_id BIGINT NOT NULL REFERENCES users(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  change_seq BIGINT NOT NULL
);
CREATE INDEX item_departures_user ON item_departures (user_id, change_seq);
INSERT INTO item_departures (user_id, item_id, change_seq)
  SELECT previous_assignee_id, id, change_seq FROM items
  WHERE previous_assignee_id IS NOT NULL
    AND (assignee_id IS NULL OR assignee_id <> previous_assignee_id);

-- A hotline or intake platform's own ticket id: importing it again finds
-- the item instead of making a second. NULLs do not collide.
ALTER TABLE items ADD COLUMN external_ref TEXT;
CREATE UNIQUE INDEX items_external_ref ON items (unit_id, external_ref);

-- A one-time password must be changed at the next sign-in; a disabled
-- user signs in no more. A password-only token may change the password
-- and nothing else.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
ALTER TABLE tokens ADD COLUMN password_only BIGINT NOT NULL DEFAULT 0;

-- Reveals of a party's numbers, and other acts on an item, in the audit
-- log by item, for its coordinator.
ALTER TABLE audit_log ADD COLUMN item_id BIGINT;
CREATE INDEX audit_log_item ON audit_log (item_id, id);
