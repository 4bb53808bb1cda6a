-- Campaign statistics. A campaign keeps its TOML source (the rules are
-- evaluated server-side) and the SHA-256 of that source, so every process
-- (the server, `admin campaign import`) can tell a changed definition from
-- a cached parse. Definitions stored before this migration have no source
-- and count nothing until imported again.
ALTER TABLE campaigns ADD COLUMN source TEXT;
ALTER TABLE campaigns ADD COLUMN revision TEXT;

-- One cell per campaign × period × reporting unit × profession × user ×
-- indicator (or hours key). The user is in the key so `scope=me` reads the
-- same table; unit and profession are the user's when the record was stored.
-- Money cells hold fen, hours keys minutes.
CREATE TABLE aggregates (
  campaign_id TEXT NOT NULL,
  period_start TEXT NOT NULL,
  unit_id BIGINT NOT NULL,
  profession TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  indicator TEXT NOT NULL,
  value1 BIGINT NOT NULL,
  value2 BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, period_start, unit_id, profession, user_id, indicator)
);
CREATE INDEX aggregates_user ON aggregates (campaign_id, period_start, user_id);
