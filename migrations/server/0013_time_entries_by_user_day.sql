-- The day-total check every time entry runs (a user's minutes on one
-- Beijing day, refused past 24 h) read the whole time_entries table: there
-- was only an index by item. This one answers it from the index alone
-- (user, time range, and the minutes summed), so a write costs the same on
-- the millionth entry as on the first.
CREATE INDEX time_entries_user_day ON time_entries (user_id, occurred_at, minutes);
