-- Drafts and the running timer belong to the (server, user) pair signed in
-- when they were made: a colleague signing in on the same profile sees
-- neither, and the owner finds both again on signing back in. One timer per
-- owner. Rows from before this have no owner ('', ''): the next signed-in
-- user to open the store takes them, as that user saw them before.
CREATE TABLE drafts_owned (
    owner_user TEXT NOT NULL DEFAULT '',
    owner_server TEXT NOT NULL DEFAULT '',
    form TEXT NOT NULL,
    json TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (owner_user, owner_server, form)
);
INSERT INTO drafts_owned (form, json, updated_at) SELECT form, json, updated_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_owned RENAME TO drafts;

CREATE TABLE timer_owned (
    owner_user TEXT NOT NULL DEFAULT '',
    owner_server TEXT NOT NULL DEFAULT '',
    item_id INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    PRIMARY KEY (owner_user, owner_server)
);
INSERT INTO timer_owned (item_id, started_at) SELECT item_id, started_at FROM timer;
DROP TABLE timer;
ALTER TABLE timer_owned RENAME TO timer;
