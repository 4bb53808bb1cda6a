-- Whether one of an item's parties is an enterprise (parties carry a kind,
-- person or enterprise, in the `parties` JSON): the campaign rules filter on
-- it (Form 1 counts losses recovered only in disputes with an enterprise),
-- so the statistics read it as a column, as they read the channel. Items
-- stored before kinds existed have persons only; a later writer's JSON is
-- picked up here too.
ALTER TABLE items ADD COLUMN enterprise_party BIGINT NOT NULL DEFAULT 0;
UPDATE items SET enterprise_party = 1 WHERE parties LIKE '%"kind":"enterprise"%';
