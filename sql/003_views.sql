-- Readable views in plain SQL, so any SQLite tool can use them without mhwopt's functions.
-- The scalar subqueries do not depend on the row, so SQLite evaluates each once a statement.

CREATE VIEW combination_detail AS
SELECT c.id       AS id,
       head.name  AS head,
       body.name  AS body,
       arms.name  AS arms,
       waist.name AS waist,
       legs.name  AS legs,
       charm.name AS charm,
       head.defence + body.defence + arms.defence + waist.defence + legs.defence + charm.defence AS defence,
       head.slots1 + body.slots1 + arms.slots1 + waist.slots1 + legs.slots1 + charm.slots1 AS slots1,
       head.slots2 + body.slots2 + arms.slots2 + waist.slots2 + legs.slots2 + charm.slots2 AS slots2,
       head.slots3 + body.slots3 + arms.slots3 + waist.slots3 + legs.slots3 + charm.slots3 AS slots3,
       head.slots4 + body.slots4 + arms.slots4 + waist.slots4 + legs.slots4 + charm.slots4 AS slots4
FROM combination AS c
JOIN piece AS head  ON head.id  = (SELECT first_piece FROM part WHERE id = 0) + c.id / (SELECT stride FROM part WHERE id = 0) % (SELECT piece_count FROM part WHERE id = 0)
JOIN piece AS body  ON body.id  = (SELECT first_piece FROM part WHERE id = 1) + c.id / (SELECT stride FROM part WHERE id = 1) % (SELECT piece_count FROM part WHERE id = 1)
JOIN piece AS arms  ON arms.id  = (SELECT first_piece FROM part WHERE id = 2) + c.id / (SELECT stride FROM part WHERE id = 2) % (SELECT piece_count FROM part WHERE id = 2)
JOIN piece AS waist ON waist.id = (SELECT first_piece FROM part WHERE id = 3) + c.id / (SELECT stride FROM part WHERE id = 3) % (SELECT piece_count FROM part WHERE id = 3)
JOIN piece AS legs  ON legs.id  = (SELECT first_piece FROM part WHERE id = 4) + c.id / (SELECT stride FROM part WHERE id = 4) % (SELECT piece_count FROM part WHERE id = 4)
JOIN piece AS charm ON charm.id = (SELECT first_piece FROM part WHERE id = 5) + c.id / (SELECT stride FROM part WHERE id = 5) % (SELECT piece_count FROM part WHERE id = 5);

-- Six rows a combination: which piece it wears in each part.
CREATE VIEW combination_piece AS
SELECT c.id AS id, part.name AS part, piece.id AS piece_id, piece.name AS piece
FROM combination AS c
JOIN part
JOIN piece ON piece.id = part.first_piece + c.id / part.stride % part.piece_count;

-- A combination's total level of each skill any of its pieces has (filter by id: it is per row).
CREATE VIEW combination_skill AS
SELECT cp.id AS id, skill.name AS skill, sum(piece_skill.level) AS level
FROM combination_piece AS cp
JOIN piece_skill ON piece_skill.piece = cp.piece_id
JOIN skill ON skill.id = piece_skill.skill
GROUP BY cp.id, skill.id;
