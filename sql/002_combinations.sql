-- Combinations as packed mixed-radix keys (see part.stride), and the runs that wrote them.

-- The id is the whole row: about 9 bytes a combination on disk.
CREATE TABLE combination (
    id INTEGER PRIMARY KEY CHECK (id >= 0)
);

-- One row a `mhwopt generate`; each batch's transaction also advances rows_written and next_key,
-- so a run killed at any moment resumes exactly where its last commit ended.
CREATE TABLE generation_run (
    id             INTEGER PRIMARY KEY,
    catalogue_hash TEXT    NOT NULL,
    filters        TEXT    NOT NULL,  -- as typed options, '' for every combination
    filters_json   TEXT    NOT NULL,  -- the same, for --resume to read back
    batch_size     INTEGER NOT NULL,
    started        TEXT    NOT NULL,  -- UTC, ISO 8601
    finished       TEXT,
    rows_written   INTEGER NOT NULL DEFAULT 0,
    next_key       INTEGER NOT NULL DEFAULT 0,  -- every key below it has been considered
    expected_rows  INTEGER,                     -- known once finished (the product when unfiltered)
    status         TEXT    NOT NULL CHECK (status IN ('running', 'interrupted', 'finished', 'abandoned'))
);

-- One row a saved `mhwopt score`, with its top rows, so rankings can be compared in SQL.
CREATE TABLE score_run (
    id             INTEGER PRIMARY KEY,
    config_source  TEXT    NOT NULL,  -- the path given
    config_text    TEXT    NOT NULL,  -- the file's content, so score(id) can reuse it later
    where_clause   TEXT,
    row_limit      INTEGER NOT NULL,
    catalogue_hash TEXT    NOT NULL,
    scored         TEXT    NOT NULL,  -- UTC, ISO 8601
    seconds        REAL    NOT NULL
);

CREATE TABLE score_result (
    run         INTEGER NOT NULL REFERENCES score_run(id),
    rank        INTEGER NOT NULL CHECK (rank >= 1),
    combination INTEGER NOT NULL,
    score       REAL    NOT NULL,
    PRIMARY KEY (run, rank)
) WITHOUT ROWID;
