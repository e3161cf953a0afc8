#pragma once
// A small catalogue with the awkward cases (a quoted name with a comma, a skill listed twice, a
// level 0, a piece without skills, charms) and helpers for in-memory databases built from it.
#include <exception>
#include <sstream>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "core/catalogue.hpp"
#include "db/catalogue_store.hpp"
#include "db/database.hpp"
#include "db/sqlite_failure.hpp"
#include "io/equipment_reader.hpp"

namespace mhwopt::testing {

inline const char* kDbFixtureCsv =
    "Piece,Stat 1,Level,Stat 2,Level,Deco Slots Lvl 1,Deco Slots Lvl 2,Deco Slots Lvl 3,Deco Slots Lvl 4,Body Part,Base Def\n"
    "Helm A,Attack Boost,2,Critical Eye,1,1,0,0,0,Head,70\n"
    "\"Helm, B\",Health Boost,3,,,0,1,0,1,Head,64\n"
    "Helm C,,,,,0,0,0,0,Head,80\n"
    "Mail A,Attack Boost,2,Attack Boost,1,0,0,1,0,Body,70\n"
    "Mail B,Critical Eye,3,Weakness Exploit,0,2,0,0,0,Body,66\n"
    "Arms A,Handicraft,2,,,0,0,0,1,Arms,70\n"
    "Arms B,Attack Boost,1,Handicraft,1,1,1,0,0,Arms,72\n"
    "Arms C,Critical Boost,1,,,0,0,2,0,Arms,68\n"
    "Coil A,Attack Boost,3,,,0,1,0,0,Waist,70\n"
    "Coil B,Health Boost,2,Critical Eye,2,0,0,0,1,Waist,71\n"
    "Greaves A,Critical Boost,2,,,1,0,0,0,Legs,70\n"
    "Greaves B,Handicraft,3,Attack Boost,1,0,0,1,1,Legs,69\n"
    "Charm A,Attack Boost,3,,,,,,,Charm,\n"
    "Charm B,Critical Eye,2,Health Boost,1,,,,,Charm,\n"
    "Charm C,Weakness Exploit,2,,,,,,,Charm,\n";

inline const char* kDbFixtureConfig = R"({
  "decorations": {"deco_1": 1.5, "deco_2": 2.0, "deco_3": 2.5, "deco_4": 3.5, "num_decos": 2.0},
  "skills": {
    "Attack Boost": {"max": 5, "weight": 3.1, "penalty": -0.7},
    "Critical Eye": {"max": 3, "weight": 2.3, "penalty": 0.0},
    "Health Boost": {"max": 3, "weight": 1.7, "penalty": 0.0}
  },
  "defence": 0.012,
  "limit": 5
})";

inline Catalogue fixture_catalogue() {
    std::istringstream in(kDbFixtureCsv);
    return read_equipment(in, "fixture.csv", {});
}

// An in-memory database holding the fixture catalogue (and no combinations).
inline void import_fixture(db::Database& database) {
    SQLite::Transaction transaction = db::begin_write(database);
    db::CatalogueStore(database).write(fixture_catalogue(), "fixture.csv");
    db::commit(transaction, database);
}

// The first column of the first row of a query, as an integer.
inline std::int64_t query_int64(SQLite::Database& database, const std::string& sql) { return database.execAndGet(sql).getInt64(); }

// The message a statement fails with when run to the end, or "" when it succeeds.
inline std::string error_of(SQLite::Database& db, const std::string& sql) {
    try {
        SQLite::Statement statement(db, sql);
        while (statement.executeStep()) {
        }
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace mhwopt::testing
