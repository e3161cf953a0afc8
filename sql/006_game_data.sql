-- What the game adds to the pieces (issue 10), stored by `mhwopt import` so that the SQL functions
-- decorated_score, placement and placed_skill give exactly what `mhwopt run --decorations` gives.
-- Game data (set bonuses, skill maxima) comes with `--format mhworld`; decorations with
-- `import --decorations FILE|all`. Ids are list order: a bonus id is Piece::set_bonus, a decoration
-- id its place in the list (the placement text lists decorations in that order).

-- A bonus grants `skill` at level 1 once a set wears `pieces` pieces that carry the bonus.
CREATE TABLE set_bonus (
    id   INTEGER PRIMARY KEY CHECK (id >= 0),
    name TEXT    NOT NULL
);
CREATE TABLE set_bonus_rule (
    bonus   INTEGER NOT NULL REFERENCES set_bonus(id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 1),  -- as the data set lists them
    pieces  INTEGER NOT NULL CHECK (pieces >= 0),
    skill   INTEGER NOT NULL REFERENCES skill(id),
    PRIMARY KEY (bonus, ordinal)
) WITHOUT ROWID;

-- The piece's set bonus; NULL: none (and every piece of a database imported before version 6).
ALTER TABLE piece ADD COLUMN set_bonus INTEGER REFERENCES set_bonus(id);

-- A skill's game maximum; `secret_levels` of the top levels need the skill `secret` active.
-- A skill without a row has no maximum; without any row (no game data) no level is capped.
CREATE TABLE skill_limit (
    skill         INTEGER PRIMARY KEY REFERENCES skill(id),
    max_level     INTEGER NOT NULL CHECK (max_level >= 0),
    secret_levels INTEGER NOT NULL CHECK (secret_levels >= 0 AND secret_levels <= max_level),
    secret        INTEGER REFERENCES skill(id)  -- NULL: no secret skill
);

-- Decorations (jewels) in list order, with the owned count (NULL: unlimited).
CREATE TABLE decoration (
    id    INTEGER PRIMARY KEY CHECK (id >= 0),
    name  TEXT    NOT NULL,
    size  INTEGER NOT NULL CHECK (size BETWEEN 1 AND 4),
    count INTEGER CHECK (count IS NULL OR count >= 0)
);
CREATE TABLE decoration_skill (
    decoration INTEGER NOT NULL REFERENCES decoration(id),
    ordinal    INTEGER NOT NULL CHECK (ordinal >= 1),  -- 1 or 2, as listed
    skill      INTEGER NOT NULL REFERENCES skill(id),
    level      INTEGER NOT NULL CHECK (level >= 0),
    PRIMARY KEY (decoration, ordinal)
) WITHOUT ROWID;
