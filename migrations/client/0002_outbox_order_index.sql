-- Every flush asks for the oldest pending entry (claim_next) and every
-- `outbox` reads in order: an index on (state, seq) answers both without
-- scanning failed entries that wait for the user.
CREATE INDEX outbox_state_seq ON outbox (state, seq);
