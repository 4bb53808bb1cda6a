-- The client's local store: cache, outbox, drafts, the running timer.
-- Timestamps are epoch milliseconds.

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    -- UUIDv7, sent as the Idempotency-Key.
    id TEXT NOT NULL UNIQUE,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    -- One line for people: "outcome agreement on #12".
    summary TEXT NOT NULL,
    -- pending | failed
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    lease_owner TEXT,
    lease_until INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE cached_items (
    id INTEGER PRIMARY KEY,
    -- mine | pool
    list TEXT NOT NULL,
    json TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Whole documents: schedule:<date>, duty, campaigns, item:<id> detail.
CREATE TABLE cached_docs (
    key TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    etag TEXT,
    fetched_at INTEGER NOT NULL
);

-- Delta-sync state per list: the `since` cursor and the last ETag.
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    cursor TEXT,
    etag TEXT
);

CREATE TABLE drafts (
    form TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- At most one timer runs: the CHECK keeps the table to one row.
CREATE TABLE timer (
    slot INTEGER PRIMARY KEY CHECK (slot = 1),
    item_id INTEGER NOT NULL,
    started_at INTEGER NOT NULL
);
