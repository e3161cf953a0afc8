-- Decorated runs (issue 10): `score` and `generate --top` that fill slots with the stored decorations
-- record the weapon's slots they ranked with, so a saved ranking says how its scores were made and
-- `generate --resume` repeats the same search.
--   NULL    the run did not place decorations (every run recorded before version 7)
--   ''      it placed the stored decorations, with no weapon slots
--   '4,4,2' it placed them, with these weapon slot levels (as --weapon-slots takes them)
ALTER TABLE score_run ADD COLUMN weapon_slots TEXT;
ALTER TABLE generation_run ADD COLUMN weapon_slots TEXT;
