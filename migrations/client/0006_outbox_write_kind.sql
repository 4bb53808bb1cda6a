-- What each entry asks the server to do, so the flush dispatches on it
-- rather than on the path's last segment. Rows queued before this get the
-- kind their path names (the paths `client::writes` and
-- `client::intake_queue` build); anything else is 'other'.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
UPDATE outbox SET kind = CASE
    WHEN path LIKE '/api/v1/items/%/outcomes' THEN 'outcome'
    WHEN path = '/api/v1/time-entries' THEN 'time_entry'
    WHEN path = '/api/v1/activities' THEN 'activity'
    WHEN path LIKE '/api/v1/items/%/claim' THEN 'claim'
    WHEN path LIKE '/api/v1/items/%/transition' THEN 'transition'
    WHEN path LIKE '/api/v1/items/%/notes' THEN 'note'
    WHEN path LIKE '/api/v1/items/%/typical' THEN 'typical'
    WHEN path LIKE '/api/v1/duty/%/check-in' THEN 'check_in'
    WHEN path LIKE '/api/v1/duty/%/check-out' THEN 'check_out'
    WHEN path = '/api/v1/items' THEN 'new_item'
    WHEN path LIKE '/api/v1/items/%/conflicts/ack' THEN 'conflict_ack'
    ELSE 'other'
END;
