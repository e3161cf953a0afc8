#pragma once
// Which decorations a decorated result was computed with (sql/008_decorations_hash.sql). A decorated
// `generate --top` stores the best N sets by their placement of the stored decorations, and a
// decorated `score` saves scores and placements of them: both record a digest of the decoration
// rows, so that nothing later ranks, resumes or shows those results with other decorations as if
// they were the same. Only digests are compared; the rows are in the decoration tables.
#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>

#include "core/error.hpp"

namespace mhwopt::db {

// A digest of the stored decoration and decoration_skill rows: order, names, sizes, owned counts,
// skills (by name) and levels. No decorations stored has a digest too (a weapon's slots then stay
// empty, which decorations imported later would change).
std::string stored_decorations_hash(SQLite::Database& db);

// The generation whose sets the combination table holds (or will hold, once resumed), when it chose
// them by their best placement of the stored decorations (generate --top --decorations/--weapon-slots).
struct DecoratedGeneration {
    std::int64_t run = 0;
    std::string status;   // running, interrupted or finished
    std::string options;  // generation_run.filters: the options as typed
    std::int64_t stored = 0;                      // combinations stored
    std::optional<std::string> decorations_hash;  // nullopt: recorded before schema 8, unknown
};
std::optional<DecoratedGeneration> decorated_generation(SQLite::Database& db);

// "generation run 3 (--top 5 --config c.json --decorations, finished, 5 combinations stored)"
std::string describe(const DecoratedGeneration& generation);

// Whether a recorded digest is that of the decorations stored now.
enum class DecorationsMatch { Same, Other, Unknown /* recorded before schema 8 */ };
DecorationsMatch match_stored_decorations(SQLite::Database& db, const std::optional<std::string>& recorded);

// Before `generate --resume` continues (or checks) run `run` of a decorated search: throws
// std::runtime_error when the stored decorations are not those it ranked with, or when it was
// recorded before schema 8 and is unfinished (its continuation could mix two searches); warns when
// a finished run's decorations are unknown.
void check_resume_decorations(SQLite::Database& db, std::int64_t run, const std::string& db_label, const WarningSink& warn);

// Before a decorated `score` ranks the stored sets: throws std::runtime_error when they are the best
// N of a decorated generation by other decorations than those stored now (they are not the best N
// with these), warns when that generation's decorations were never recorded (schema 7). Returns the
// stored decorations' digest, for record_score_decorations.
std::string check_ranking_decorations(SQLite::Database& db, const std::string& db_label, const WarningSink& warn);

// Records on saved score run `run` the digest check_ranking_decorations returned; throws when the
// stored decorations changed meanwhile (the write transaction then rolls the run back).
void record_score_decorations(SQLite::Database& db, std::int64_t run, const std::string& hash);

}  // namespace mhwopt::db
