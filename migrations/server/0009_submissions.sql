-- The hand-in of a period's form, one row per campaign, period and unit:
-- where it stands, its 填报人 and 联系电话, when it was handed in, and the
-- form's rows as handed in (JSON), frozen so later records never change
-- them. Each step (submit, approve, return, reopen) is in audit_log.
CREATE TABLE submissions (
  campaign_id TEXT NOT NULL,
  period_start TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  status TEXT NOT NULL,
  filled_by TEXT NOT NULL,
  phone TEXT NOT NULL,
  submitted_at BIGINT NOT NULL,
  submitted_by BIGINT NOT NULL REFERENCES users(id),
  form TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY (campaign_id, period_start, unit_id)
);
-- Withdrawals: a counter-record (minutes or counts negated) names the
-- record it withdraws; nothing is deleted, so the aggregates stay a sum of
-- the stored rows. At most one withdrawal per record.
ALTER TABLE time_entries ADD COLUMN withdraws TEXT;
CREATE UNIQUE INDEX time_entries_withdraws ON time_entries (withdraws);
ALTER TABLE activities ADD COLUMN withdraws TEXT;
CREATE UNIQUE INDEX activities_withdraws ON activities (withdraws);
