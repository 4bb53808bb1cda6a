-- Outcome corrections: the coordinator of the item's unit (or one above it,
-- or an admin) corrects an outcome with a reason. The wrong outcome stays;
-- a counter-record (the same outcome, `withdraws` naming it, counted
-- negatively by the rules) and the corrected outcome are added, so the
-- aggregates stay a sum of the stored rows. Who corrected what and why is
-- on the item's history. At most one withdrawal per outcome.
ALTER TABLE outcomes ADD COLUMN withdraws TEXT;
CREATE UNIQUE INDEX outcomes_withdraws ON outcomes (withdraws);
