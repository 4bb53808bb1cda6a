-- When each token was last used (to the hour): a token unused for
-- TOKEN_IDLE_DAYS stops working, so a credentials file forgotten on a
-- shared server does not stay a live key forever. NULL: not used since it
-- was issued (created_at counts).
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
