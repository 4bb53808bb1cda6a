-- The login guard's counts of wrong passwords, in the database so that
-- every instance on one PostgreSQL counts the same guesses. One row per
-- (scope, name hash, client address):
--   scope 'name_client': one username from one address (the lock a user meets);
--   scope 'client':      any username from one address (a spray of names);
--   scope 'name':        one username from anywhere (the slower, global limit).
-- Names are kept only as a SHA-256 of the trimmed name, addresses as text
-- (an IPv6 address by its /64). Rows older than their window are pruned and
-- the table is capped (oldest first), so a flood cannot grow it.
CREATE TABLE login_guard (
    scope TEXT NOT NULL,
    name_hash TEXT NOT NULL,
    client TEXT NOT NULL,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    PRIMARY KEY (scope, name_hash, client)
);
CREATE INDEX login_guard_window ON login_guard (window_start);
