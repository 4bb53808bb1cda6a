-- The parties as every list sends them (phone and ID numbers masked), as
-- JSON, kept beside the stored ones at insert so that reading a list of
-- 10,000 items parses no party list (`storage::sql::item_list`). NULL for
-- rows stored before this column (or by other tools): those are masked at
-- read. A change to the masking rule clears this column (set it to NULL).
ALTER TABLE items ADD COLUMN parties_shown TEXT;
