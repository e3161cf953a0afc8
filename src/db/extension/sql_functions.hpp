#pragma once
// mhwopt's scalar SQL functions, registered on one connection from a single table:
//   score(id)            the config of the running `score` command, else of the latest saved score run
//   score(id, CONFIG)    CONFIG: a config file's path, or its JSON text
//   score_json(id, JSON) the same, JSON text only: deterministic, usable in indexes
//   skill(id, 'Name')    total level of a skill over the six pieces
//   defence(id)          total defence
//   slots(id, level)     decoration slots of that level (1..4)
//   piece(id, 'Head')    the piece's name in that part
//   decorated_score(id, CONFIG, WEAPON_SLOTS)   run --decorations's Score, with the stored decorations
//   placement(id, CONFIG, WEAPON_SLOTS)         run's Decorations column for it
//   placed_skill(id, 'Name', CONFIG, WEAPON_SLOTS)  run's skill column for it
//   mhwopt_top_n(id, score, N)  aggregate: the N best as JSON [[id,score],...], best first
//   mhwopt_top_n(id, N)  the same scored by the current config (decorated with set_current_placement)
//   mhwopt_rank_row(id, PASSES)  `score`'s ranking of a chunk (begin_ranking_chunk)
//   mhwopt_may_rank(id)  0 when the running mhwopt_top_n(id, N)'s cut rules the row out, else 1
//                        (decorated: the row's placement solved against that cut, reused by the aggregate)
// All but score, the decorated three, mhwopt_top_n, mhwopt_may_rank and mhwopt_rank_row are deterministic; all return NULL for any NULL argument (the
// aggregate skips NULL rows), and report errors as SQL errors.
// The catalogue is read from the database once per connection, on first use.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/filters.hpp"
#include "core/game_data.hpp"
#include "core/error.hpp"
#include "core/top_n.hpp"
#include "db/extension/sqlite_api.hpp"

namespace mhwopt::db {

class SqlFunctionState;

// Reads mhwopt_top_n's JSON back into the exact (score, id) pairs, best first. Throws
// std::invalid_argument when the text is not that aggregate's.
std::vector<Ranked> parse_top_n(std::string_view json);

struct RankingChunkResult {
    std::vector<Ranked> best;  // best first
    std::int64_t rows;         // rows counted (read up to the chunk's end or its row limit)
    std::int64_t last_row;     // the id of the last of them
};

class SqlFunctions {
public:
    // Registers every function on db. The state lives as long as any of them stays registered.
    static SqlFunctions install(sqlite3* db, WarningSink warn = {});

    // Makes score(id) use this config (the `score` command's).
    void set_current_config(const Config& config);
    // The same, and makes mhwopt_top_n(id, N) (and mhwopt_may_rank) rank by the best placement of
    // the stored decorations with these weapon slots: decorated_score(id, CONFIG, WEAPON_SLOTS)'s
    // value, bit for bit (`score --decorations`). score(id) stays the config's plain score.
    // With requirements, the best placement that meets them (a set with none that does is not ranked).
    void set_current_placement(const Config& config, const WeaponSlots& weapon,
                               const std::vector<ResolvedFilters::Requirement>& requirements = {});
    // `score`'s ranking a chunk at a time (see db/stored_ranking.cpp): mhwopt_rank_row(id, PASSES)
    // then ranks rows by the current config into the N = `limit` best, up to `last_id` and at most
    // `max_rows` rows, skipping those below `floor` (strictly: an equal score may still rank by
    // its lower id). A share holding N rows at or above a floor rules lower rows out of the whole.
    void begin_ranking_chunk(std::int64_t last_id, std::int64_t max_rows, std::size_t limit, double floor);
    RankingChunkResult end_ranking_chunk();
    // Lets long calls (best_sets' search) stop when this returns true: they then fail with
    // SQLITE_INTERRUPT. It is polled from another thread, every few milliseconds.
    void set_stop_check(std::function<bool()> check);

    // A scalar function when final is null; else an aggregate whose step is call.
    struct Definition {
        const char* name;
        int arity;
        void (*call)(sqlite3_context*, int, sqlite3_value**);
        void (*final)(sqlite3_context*) = nullptr;
        bool deterministic = true;  // SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS: the value depends on the arguments alone
    };
    static const Definition* definitions(std::size_t& count);

private:
    explicit SqlFunctions(std::shared_ptr<SqlFunctionState> state) : state_(std::move(state)) {}
    std::shared_ptr<SqlFunctionState> state_;
};

}  // namespace mhwopt::db
