-- The combination table loses its CHECK (id >= 0): generate writes millions of rows, the check cost
-- about 40% of each insert's time (measured with the sqlite3 shell), and every id comes from
-- mhwopt's own key codec, never from a user. Rebuilt in key order, so the file stays compact.
-- legacy_alter_table: the views name `combination`, which does not exist between DROP and RENAME.
PRAGMA legacy_alter_table = ON;
CREATE TABLE combination_rebuilt (
    id INTEGER PRIMARY KEY  -- the packed key; the id is the whole row
);
INSERT INTO combination_rebuilt(id) SELECT id FROM combination ORDER BY id;
DROP TABLE combination;
ALTER TABLE combination_rebuilt RENAME TO combination;
PRAGMA legacy_alter_table = OFF;

-- `generate --top N --config FILE` stores only the best N sets; --resume needs the N and the config.
ALTER TABLE generation_run ADD COLUMN top_n INTEGER CHECK (top_n IS NULL OR top_n >= 1);
ALTER TABLE generation_run ADD COLUMN config_text TEXT;  -- the config file's content, when top_n is set
