#pragma once
// A small catalogue with the awkward cases (a quoted name with a comma, a skill listed twice, a
// level 0, a piece without skills, charms) and helpers for in-memory databases built from it.
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <exception>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "core/catalogue.hpp"
#include "core/top_n.hpp"
#include "db/catalogue_store.hpp"
#include "db/database.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/migrations.hpp"
#include "db/sqlite_failure.hpp"
#include "io/decorations_reader.hpp"
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

// The fixture with game data and decorations, built as `run --decorations` builds them: the
// catalogue, then the game's skills, bonuses and maxima, then the decorations (whose new skill,
// Vitality, comes after the maxima were sized). Alpha Will: 2 pieces grant Guts, 3 the secret skill
// that lifts Attack Boost's maximum from 3 to 5; Beta Soul: 1 piece grants Critical Eye.
struct GameFixture {
    Catalogue catalogue;
    std::vector<Decoration> decorations;
};

inline const char* kDbFixtureDecorations =
    "Decoration,Size,Skill 1,Level,Skill 2,Level,Rarity,Count\n"
    "Attack Jewel 1,1,Attack Boost,1,,,5,2\n"
    "Expert Jewel 1,1,Critical Eye,1,,,5,\n"
    "Attack Jewel+ 4,4,Attack Boost,2,Critical Eye,1,8,1\n"
    "Vital Jewel 2,2,Vitality,1,Health Boost,1,6,\n"
    "Handicraft Jewel 3,3,Handicraft,1,,,7,0\n";

inline GameFixture game_fixture() {
    GameFixture f{fixture_catalogue(), {}};
    Catalogue& c = f.catalogue;
    const SkillId attack = *c.find_skill("Attack Boost"), expert = *c.find_skill("Critical Eye");
    const SkillId guts = c.intern_skill("Guts"), secret = c.intern_skill("Attack Secret");
    c.game().bonuses = {SetBonus{"Alpha Will", {{2, guts}, {3, secret}}}, SetBonus{"Beta Soul", {{1, expert}}}};
    for (const auto& [part, name, bonus] : {std::tuple{Part::Head, "Helm A", 0}, std::tuple{Part::Body, "Mail A", 0},
                                            std::tuple{Part::Arms, "Arms B", 0}, std::tuple{Part::Legs, "Greaves A", 0},
                                            std::tuple{Part::Waist, "Coil B", 1}})
        c.set_piece_bonus(part, *c.find_piece(part, name), bonus);
    c.game().limits.assign(c.skill_count(), std::nullopt);
    c.game().limits[attack] = SkillLimit{5, 2, secret};
    c.game().limits[expert] = SkillLimit{4, 0, std::nullopt};
    c.game().limits[guts] = SkillLimit{1, 0, std::nullopt};
    c.game().limits[secret] = SkillLimit{1, 0, std::nullopt};
    std::istringstream in(kDbFixtureDecorations);
    f.decorations = read_decorations(in, "decorations.csv", c, {});
    return f;
}

// An in-memory database holding the fixture catalogue (and no combinations).
inline void import_fixture(db::Database& database) {
    SQLite::Transaction transaction = db::begin_write(database);
    db::CatalogueStore(database).write(fixture_catalogue(), "fixture.csv");
    db::commit(transaction, database);
}

// The first column of the first row of a query, as an integer.
// A database file of an older schema (4 to 7) holding the fixture's catalogue as an import of that
// version wrote it: the migrations up to it, then the catalogue's tables copied in (piece by the
// columns it had before migration 6). For the migration tests; throws if a step fails.
inline void write_fixture_file_of_version(const std::string& path, int version) {
    db::Database source(":memory:", db::OpenMode::Create);
    import_fixture(source);
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const db::Migration& migration : db::migrations())
            if (migration.version <= version) raw.exec(migration.sql);
        raw.exec("PRAGMA user_version = " + std::to_string(version));
        if (version >= 5) raw.exec("DELETE FROM head_body; DELETE FROM arms_waist; DELETE FROM legs_charm;");
    }
    source.exec("ATTACH '" + path + "' AS old");
    std::vector<std::string> tables{"part", "skill", "piece", "piece_skill", "catalogue"};
    if (version >= 5) tables.insert(tables.end(), {"head_body", "arms_waist", "legs_charm"});
    for (const std::string& table : tables)
        source.exec("INSERT INTO old." + table + " SELECT " +
                    (table == "piece" && version < 6 ? "id, part, position, name, defence, slots1, slots2, slots3, slots4" : "*") + " FROM main." + table);
    source.exec("DETACH old");
}

// A file path for one test, with its journal files, removed on entry and on exit.
struct ScratchDatabasePath {
    std::string path;
    explicit ScratchDatabasePath(const std::string& name) : path("/tmp/" + name + "_" + std::to_string(::getpid()) + ".db") { remove(); }
    ~ScratchDatabasePath() { remove(); }
    void remove() const {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
    }
};

// The rows of the one mhwopt_top_n(...) value `sql` selects.
inline std::vector<Ranked> aggregated(SQLite::Database& db, const std::string& sql) {
    SQLite::Statement statement(db, sql);
    if (!statement.executeStep()) throw std::runtime_error("no row from " + sql);
    return db::parse_top_n(statement.getColumn(0).getString());
}

// The same keys with the same doubles, bit for bit, in the same order.
inline bool same_bits(const std::vector<Ranked>& a, const std::vector<Ranked>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].key != b[i].key || std::memcmp(&a[i].score, &b[i].score, sizeof(double)) != 0) return false;
    return true;
}

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
