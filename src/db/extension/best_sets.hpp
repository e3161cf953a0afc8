#pragma once
// best_sets: an eponymous table-valued function over every combination of the stored catalogue
// (not only the stored ones), computed by the exact search `mhwopt run` uses:
//   SELECT * FROM best_sets('config.json', 100) WHERE defence >= 700;
//   SELECT * FROM best_sets('config.json', 10, 'Attack Boost>=5; Critical Eye>=3', 600);
// Columns: rank, id, head, body, arms, waist, legs, charm, defence, slots1..slots4, score; hidden
// (the arguments): config (a path or JSON text), n (default: the config's limit), requirements
// ("SKILL>=N" separated by ';'), min_defence.
#include <functional>
#include <memory>
#include <string_view>

#include "core/catalogue.hpp"
#include "core/scorer.hpp"
#include "db/extension/sqlite_api.hpp"

namespace mhwopt::db {

class SqlFunctionState;

// What the module needs of the connection's function state (defined in sql_functions.cpp).
const Catalogue& state_catalogue(SqlFunctionState& state);
std::shared_ptr<const Scorer> state_scorer(SqlFunctionState& state, std::string_view config);
// Whether the statement should stop (Ctrl-C, a time limit): set by the host (mhwopt query); empty in
// the sqlite3 shell, whose interrupt SQLite 3.40 gives a virtual table no way to see.
const std::function<bool()>& state_stop_check(SqlFunctionState& state);

// Registers the module on db; throws std::runtime_error on failure.
void register_best_sets(sqlite3* db, const std::shared_ptr<SqlFunctionState>& state);

}  // namespace mhwopt::db
