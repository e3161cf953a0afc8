#pragma once
// Ranks the combinations stored in a database (`mhwopt score`): the best N by a config, plain or
// by the best placement of the stored decorations, optionally among those a SQL condition passes.
// Its cost follows the rows stored, never the key space they were drawn from: a whole-game store
// of the best thousand sets holds ids spread over ~1e15 keys.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/filters.hpp"
#include "core/top_n.hpp"
#include "core/weapon_slots.hpp"

namespace mhwopt::db {

struct StoredRanking {
    std::string db_path;
    Config config;
    std::optional<WeaponSlots> weapon;  // set: rank by the best placement of the stored decorations
    std::vector<ResolvedFilters::Requirement> requirements;  // that placement meets them
    std::string where;                  // a condition on combination_detail's columns; empty: none
    std::int64_t limit = 1;
    unsigned threads = 1;               // connections ranking at once
    const std::atomic<bool>* cancel = nullptr;
    WarningSink warn;
    // The most rows one statement reads: enough that restarting it costs nothing measurable (a reset
    // and N rows), few enough that the shares finish within a chunk of each other and the progress
    // bar moves (a ten-million-row store reports ~40 times). Tests make it small.
    std::int64_t chunk_rows = std::int64_t{1} << 18;
};

// The statement one chunk of a ranking runs, from id ?1 (SqlFunctions::begin_ranking_chunk sets
// the rest).
std::string ranking_chunk_sql(const std::string& where);
// A statement that prepares when the condition is one read-only SQL expression: prepare it under the
// guard before ranking, for its words on a condition it refuses.
std::string where_check_sql(const std::string& where);

// How many combinations are stored (SQLite counts a table's rows from its b-tree pages, without
// stepping each row).
std::uint64_t stored_combination_count(SQLite::Database& db);

// The best `limit` stored rows, best first. `progress` is called on the calling thread every 100 ms
// or so with the rows ranked so far. A share stopped by `cancel` rethrows the guard's QueryStopped;
// any other failure is rethrown as it was.
std::vector<Ranked> rank_stored(const StoredRanking& request, const std::function<void(std::uint64_t)>& progress);

}  // namespace mhwopt::db
