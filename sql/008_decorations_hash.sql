-- Decorated results tied to the decorations they came from (issue 18): a decorated generation and a
-- decorated score run record a digest of the stored decoration rows they placed (see
-- db/decoration_provenance), so that a later import of other decorations, a --resume, a decorated
-- ranking of the stored sets and a report can tell whether the stored decorations are still those.
--   NULL          a plain run (weapon_slots NULL), or a decorated run recorded before version 8,
--                 whose decorations are unknown
--   'fnv1a64:...' the digest of the decoration and decoration_skill rows when the run was made
ALTER TABLE generation_run ADD COLUMN decorations_hash TEXT;
ALTER TABLE score_run ADD COLUMN decorations_hash TEXT;
