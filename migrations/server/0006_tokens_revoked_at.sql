-- Each instance looks up the tokens revoked since its last look once per
-- heartbeat, to end their open event streams.
CREATE INDEX tokens_revoked_at ON tokens (revoked_at);
