-- One portable schema for SQLite and PostgreSQL: only BIGINT, DOUBLE
-- PRECISION and TEXT columns (sqlx's Any driver decodes nothing else);
-- booleans are 0/1, times epoch ms, money fen. Ids come from `counters`.
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO counters (name, value) VALUES ('unit', 0), ('user', 0), ('token', 0), ('item', 0),
  ('room', 0), ('duty', 0), ('history', 0), ('audit', 0), ('change_seq', 0);

CREATE TABLE units (id BIGINT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);

CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  profession TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
  id BIGINT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  device TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE rooms (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  operator_id BIGINT REFERENCES users(id)
);

CREATE TABLE items (
  id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  channel TEXT NOT NULL,
  category TEXT NOT NULL,
  green_channel BIGINT NOT NULL,
  frontline_group TEXT,
  fee_waiver_eligible BIGINT NOT NULL,
  status TEXT NOT NULL,
  assignee_id BIGINT REFERENCES users(id),
  -- Who had it before a reassignment, so delta sync can tell them it left.
  previous_assignee_id BIGINT,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  parties TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  typical_case BIGINT NOT NULL,
  scheduled_start BIGINT,
  scheduled_end BIGINT,
  room_id BIGINT REFERENCES rooms(id),
  join_link TEXT,
  version BIGINT NOT NULL,
  change_seq BIGINT NOT NULL
);
CREATE INDEX items_assignee ON items (assignee_id, change_seq);
CREATE INDEX items_pool ON items (unit_id, assignee_id);

CREATE TABLE item_history (
  id BIGINT PRIMARY KEY,
  item_id BIGINT NOT NULL REFERENCES items(id),
  at BIGINT NOT NULL,
  actor_id BIGINT REFERENCES users(id),
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  note TEXT NOT NULL
);
CREATE INDEX item_history_item ON item_history (item_id, id);

CREATE TABLE outcomes (
  id TEXT PRIMARY KEY,
  item_id BIGINT NOT NULL REFERENCES items(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  code TEXT NOT NULL,
  minutes BIGINT,
  settled_fen BIGINT,
  fee_waived_fen BIGINT,
  note TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX outcomes_item ON outcomes (item_id);

CREATE TABLE time_entries (
  id TEXT PRIMARY KEY,
  item_id BIGINT NOT NULL REFERENCES items(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  minutes BIGINT NOT NULL,
  activity TEXT NOT NULL,
  note TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX time_entries_item ON time_entries (item_id);

CREATE TABLE activities (
  id TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  indicator TEXT NOT NULL,
  count BIGINT NOT NULL,
  count2 BIGINT,
  note TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE duty_shifts (
  id BIGINT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  place TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  checked_in_at BIGINT,
  checked_out_at BIGINT,
  version BIGINT NOT NULL
);

-- Definitions as `api::Campaign` JSON; the statistics work adds its rules.
CREATE TABLE campaigns (id TEXT PRIMARY KEY, definition TEXT NOT NULL);

CREATE TABLE idempotency_records (
  user_id BIGINT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, idem_key)
);

CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id BIGINT,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
);
