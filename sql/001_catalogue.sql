-- The catalogue a combination database was built from, written by `mhwopt import` in one
-- transaction. Positions are file order within a part: they are the digits of a combination id.

-- One row a body part; id is the digit's place in a combination id (0 = Head, most significant),
-- so position = id / stride % piece_count, and piece.id = first_piece + position.
CREATE TABLE part (
    id          INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 5),
    name        TEXT    NOT NULL UNIQUE,
    piece_count INTEGER NOT NULL CHECK (piece_count > 0),
    stride      INTEGER NOT NULL CHECK (stride > 0),
    first_piece INTEGER NOT NULL CHECK (first_piece >= 0)
);

-- Pieces are numbered densely across parts so that views find one with a rowid lookup.
CREATE TABLE piece (
    id       INTEGER PRIMARY KEY,
    part     INTEGER NOT NULL REFERENCES part(id),
    position INTEGER NOT NULL CHECK (position >= 0),
    name     TEXT    NOT NULL,
    defence  INTEGER NOT NULL CHECK (defence >= 0),
    slots1   INTEGER NOT NULL CHECK (slots1 >= 0),
    slots2   INTEGER NOT NULL CHECK (slots2 >= 0),
    slots3   INTEGER NOT NULL CHECK (slots3 >= 0),
    slots4   INTEGER NOT NULL CHECK (slots4 >= 0),
    UNIQUE (part, position),
    UNIQUE (part, name)
);

-- Skill ids are the order of first appearance in the equipment file; scores sum skills in this
-- order, so keeping it keeps every score bit-identical to `mhwopt run`.
CREATE TABLE skill (
    id   INTEGER PRIMARY KEY CHECK (id >= 0),
    name TEXT NOT NULL UNIQUE
);

-- A piece's skills as the file lists them (ordinal 1 or 2); a level may be 0.
CREATE TABLE piece_skill (
    piece   INTEGER NOT NULL REFERENCES piece(id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
    skill   INTEGER NOT NULL REFERENCES skill(id),
    level   INTEGER NOT NULL CHECK (level >= 0),
    PRIMARY KEY (piece, ordinal)
) WITHOUT ROWID;

-- Exactly one row once a catalogue is imported.
CREATE TABLE catalogue (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    content_hash      TEXT    NOT NULL,  -- of everything that affects scores and output
    source_file       TEXT    NOT NULL,
    imported          TEXT    NOT NULL,  -- UTC, ISO 8601
    radix_sizes       TEXT    NOT NULL,  -- piece counts Head..Charm, e.g. '19x16x20x16x16x7'
    combination_count INTEGER NOT NULL
);
