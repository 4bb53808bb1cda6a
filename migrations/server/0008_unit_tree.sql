-- Units form a tree: a district bureau over its law firms, notary offices,
-- grassroots offices and legal aid centre. A root has no parent. Who sees
-- which unit's work and statistics follows the tree (domain::policy).
ALTER TABLE units ADD COLUMN parent_id BIGINT REFERENCES units(id);
CREATE INDEX units_parent ON units (parent_id);
