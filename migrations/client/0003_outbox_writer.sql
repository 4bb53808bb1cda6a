-- Who wrote each entry: several lawyers may share one profile (one after
-- another) or one Unix account. An entry is sent only with its writer's
-- token, on the server it was written for. NULL: written before this was
-- recorded; any signed-in user sends it, as before.
ALTER TABLE outbox ADD COLUMN writer_user TEXT;
ALTER TABLE outbox ADD COLUMN writer_server TEXT;
