-- Pair tables: every head×body, arms×waist and legs×charm with their summed defence and slots, so
-- plain SQL (any SQLite tool, no extension) reads a combination's totals from three rows found by
-- rowid (one seek each, mostly to the row the cursor is already on or the next one) instead of six
-- piece rows and eighteen scalar subqueries. Size: head·body + arms·waist + legs·charm rows, about
-- 60 bytes each (a few MB for the whole game) against ~9 bytes a stored combination.
-- A pair's id is first.position · second.piece_count + second.position, so for combination id:
--   head_body  = id / body.stride
--   arms_waist = id % body.stride / waist.stride
--   legs_charm = id % waist.stride
-- `mhwopt import` refills the tables and recreates combination_detail with those strides as
-- literals (the view below reads them from `part`, which costs a third more a row).
CREATE TABLE head_body (
    id      INTEGER PRIMARY KEY,  -- head.position * body.piece_count + body.position
    defence INTEGER NOT NULL,
    slots1  INTEGER NOT NULL,
    slots2  INTEGER NOT NULL,
    slots3  INTEGER NOT NULL,
    slots4  INTEGER NOT NULL,
    first   TEXT    NOT NULL,  -- the head's name
    second  TEXT    NOT NULL   -- the body's
);
CREATE TABLE arms_waist (
    id      INTEGER PRIMARY KEY,  -- arms.position * waist.piece_count + waist.position
    defence INTEGER NOT NULL,
    slots1  INTEGER NOT NULL,
    slots2  INTEGER NOT NULL,
    slots3  INTEGER NOT NULL,
    slots4  INTEGER NOT NULL,
    first   TEXT    NOT NULL,
    second  TEXT    NOT NULL
);
CREATE TABLE legs_charm (
    id      INTEGER PRIMARY KEY,  -- legs.position * charm.piece_count + charm.position
    defence INTEGER NOT NULL,
    slots1  INTEGER NOT NULL,
    slots2  INTEGER NOT NULL,
    slots3  INTEGER NOT NULL,
    slots4  INTEGER NOT NULL,
    first   TEXT    NOT NULL,
    second  TEXT    NOT NULL
);

INSERT INTO head_body
SELECT a.position * (SELECT piece_count FROM part WHERE id = 1) + b.position, a.defence + b.defence,
       a.slots1 + b.slots1, a.slots2 + b.slots2, a.slots3 + b.slots3, a.slots4 + b.slots4, a.name, b.name
FROM piece AS a JOIN piece AS b ON a.part = 0 AND b.part = 1 ORDER BY 1;
INSERT INTO arms_waist
SELECT a.position * (SELECT piece_count FROM part WHERE id = 3) + b.position, a.defence + b.defence,
       a.slots1 + b.slots1, a.slots2 + b.slots2, a.slots3 + b.slots3, a.slots4 + b.slots4, a.name, b.name
FROM piece AS a JOIN piece AS b ON a.part = 2 AND b.part = 3 ORDER BY 1;
INSERT INTO legs_charm
SELECT a.position * (SELECT piece_count FROM part WHERE id = 5) + b.position, a.defence + b.defence,
       a.slots1 + b.slots1, a.slots2 + b.slots2, a.slots3 + b.slots3, a.slots4 + b.slots4, a.name, b.name
FROM piece AS a JOIN piece AS b ON a.part = 4 AND b.part = 5 ORDER BY 1;

-- The same columns as before (003_views.sql), from the pairs.
DROP VIEW combination_detail;
CREATE VIEW combination_detail AS
SELECT c.id AS id, hb.first AS head, hb.second AS body, aw.first AS arms, aw.second AS waist, lc.first AS legs, lc.second AS charm,
       hb.defence + aw.defence + lc.defence AS defence,
       hb.slots1 + aw.slots1 + lc.slots1 AS slots1,
       hb.slots2 + aw.slots2 + lc.slots2 AS slots2,
       hb.slots3 + aw.slots3 + lc.slots3 AS slots3,
       hb.slots4 + aw.slots4 + lc.slots4 AS slots4
FROM combination AS c
JOIN head_body  AS hb ON hb.id = c.id / (SELECT stride FROM part WHERE id = 1)
JOIN arms_waist AS aw ON aw.id = c.id % (SELECT stride FROM part WHERE id = 1) / (SELECT stride FROM part WHERE id = 3)
JOIN legs_charm AS lc ON lc.id = c.id % (SELECT stride FROM part WHERE id = 3);
