-- What the queue files and sorts by, beside each cached item's JSON: the
-- start reads only these (from the index) for the whole cache, then the
-- full rows of the first screen, so the first frame does not wait on
-- decoding every cached item.
ALTER TABLE cached_items ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE cached_items ADD COLUMN green_channel INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cached_items ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cached_items ADD COLUMN status TEXT NOT NULL DEFAULT '';

UPDATE cached_items SET
    kind = coalesce(json_extract(json, '$.kind'), ''),
    green_channel = coalesce(json_extract(json, '$.green_channel'), 0),
    due_at = coalesce(json_extract(json, '$.due_at'), 0),
    status = coalesce(json_extract(json, '$.status'), '');

CREATE INDEX cached_items_queue_keys ON cached_items (list, kind, green_channel, due_at, status, id);
