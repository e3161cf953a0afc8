// Game data and decorations in the database (sql/006_game_data.sql): what import writes reads back
// as the very catalogue (bonuses, each piece's bonus, maxima with secret skills) and decoration list
// `run --decorations` builds, and a database of an older schema migrates to it.
#include <catch2/catch.hpp>

#include <cstdio>
#include <unistd.h>

#include <SQLiteCpp/Statement.h>

#include "db/extension/catalogue_reader.hpp"
#include "db/migrations.hpp"
#include "db_test_fixture.hpp"

using namespace mhwopt;
using testing::query_int64;

namespace {

void store(db::Database& database, const testing::GameFixture& f) {
    SQLite::Transaction transaction = db::begin_write(database);
    db::CatalogueStore(database).write(f.catalogue, "fixture", f.decorations);
    db::commit(transaction, database);
}

void check_same_game(const Catalogue& a, const Catalogue& b) {
    REQUIRE(a.skill_count() == b.skill_count());
    for (SkillId s = 0; s < a.skill_count(); ++s) CHECK(a.skill_name(s) == b.skill_name(s));
    REQUIRE(a.game().bonuses.size() == b.game().bonuses.size());
    for (std::size_t k = 0; k < a.game().bonuses.size(); ++k) {
        CHECK(a.game().bonuses[k].name == b.game().bonuses[k].name);
        REQUIRE(a.game().bonuses[k].rules.size() == b.game().bonuses[k].rules.size());
        for (std::size_t r = 0; r < a.game().bonuses[k].rules.size(); ++r) {
            CHECK(a.game().bonuses[k].rules[r].pieces == b.game().bonuses[k].rules[r].pieces);
            CHECK(a.game().bonuses[k].rules[r].skill == b.game().bonuses[k].rules[r].skill);
        }
    }
    for (Part part : kAllParts)
        for (std::size_t i = 0; i < a.pieces(part).size(); ++i) CHECK(a.pieces(part)[i].set_bonus == b.pieces(part)[i].set_bonus);
    CHECK(a.game().has_limits() == b.game().has_limits());
    for (SkillId s = 0; s < a.skill_count(); ++s)
        for (bool secret : {false, true}) CHECK(a.game().cap(s, secret) == b.game().cap(s, secret));
}

}  // namespace

TEST_CASE("game data and decorations read back as run builds them", "[db][game]") {
    const testing::GameFixture f = testing::game_fixture();
    db::Database database(":memory:", db::OpenMode::Create);
    store(database, f);
    const db::CatalogueStore catalogue_store(database);
    const Catalogue stored = catalogue_store.read();
    check_same_game(f.catalogue, stored);
    CHECK(db::CatalogueStore::content_hash(stored) == db::CatalogueStore::content_hash(f.catalogue));
    const std::vector<Decoration> decorations = catalogue_store.read_decorations(stored);
    REQUIRE(decorations.size() == f.decorations.size());
    for (std::size_t d = 0; d < decorations.size(); ++d) {
        CHECK(decorations[d].name == f.decorations[d].name);
        CHECK(decorations[d].size == f.decorations[d].size);
        CHECK(decorations[d].count == f.decorations[d].count);
        REQUIRE(decorations[d].skills.size() == f.decorations[d].skills.size());
        for (std::size_t k = 0; k < decorations[d].skills.size(); ++k) {
            CHECK(decorations[d].skills[k].skill == f.decorations[d].skills[k].skill);
            CHECK(decorations[d].skills[k].level == f.decorations[d].skills[k].level);
        }
    }
    CHECK(decorations[0].count == 2);
    CHECK_FALSE(decorations[1].count);  // an empty Count cell: unlimited, stored as NULL
    CHECK(query_int64(database, "SELECT count(*) FROM decoration WHERE count IS NULL") == 2);
    CHECK(query_int64(database, "SELECT count(*) FROM piece WHERE set_bonus IS NOT NULL") == 5);
    CHECK(query_int64(database, "SELECT secret FROM skill_limit WHERE skill = (SELECT id FROM skill WHERE name = 'Attack Boost')") ==
          query_int64(database, "SELECT id FROM skill WHERE name = 'Attack Secret'"));

    SECTION("a catalogue without game data keeps its hash and stores none") {
        db::Database plain(":memory:", db::OpenMode::Create);
        testing::import_fixture(plain);
        const Catalogue back = db::CatalogueStore(plain).read();
        CHECK(back.game().bonuses.empty());
        CHECK_FALSE(back.game().has_limits());
        CHECK(db::CatalogueStore(plain).read_decorations(back).empty());
        CHECK(db::CatalogueStore::content_hash(back) == db::CatalogueStore::content_hash(testing::fixture_catalogue()));
        CHECK(db::CatalogueStore::content_hash(back) != db::CatalogueStore::content_hash(f.catalogue));
    }
    SECTION("a new import replaces the game data and decorations") {
        SQLite::Transaction transaction = db::begin_write(database);
        db::CatalogueStore(database).write(testing::fixture_catalogue(), "plain.csv");
        db::commit(transaction, database);
        for (const char* table : {"set_bonus", "set_bonus_rule", "skill_limit", "decoration", "decoration_skill"})
            CHECK(query_int64(database, std::string("SELECT count(*) FROM ") + table) == 0);
    }
}

TEST_CASE("damaged game rows are reported with their table", "[db][game]") {
    db::Database database(":memory:", db::OpenMode::Create);
    store(database, testing::game_fixture());
    database.exec("PRAGMA foreign_keys = OFF");  // as another tool could
    SECTION("a decoration of size 5") {
        database.exec("PRAGMA ignore_check_constraints = ON; UPDATE decoration SET size = 5 WHERE id = 0");  // as another tool could
        const Catalogue c = db::read_catalogue(database.getHandle());
        CHECK_THROWS_WITH(db::read_stored_decorations(database.getHandle(), c),
                          Catch::EndsWith("the catalogue is damaged: decoration 0 (\"Attack Jewel 1\") has size 5, expected 1 to 4; import again"));
    }
    SECTION("a piece naming a missing bonus") {
        database.exec("UPDATE piece SET set_bonus = 9 WHERE id = 0");
        CHECK_THROWS_WITH(db::read_catalogue(database.getHandle()), Catch::Contains("names set bonus 9, which is not in the set_bonus table"));
    }
    SECTION("a decoration skill outside the skill table") {
        database.exec("UPDATE decoration_skill SET skill = 999 WHERE decoration = 1");
        const Catalogue c = db::read_catalogue(database.getHandle());
        CHECK_THROWS_WITH(db::read_stored_decorations(database.getHandle(), c),
                          Catch::Contains("decoration_skill names skill 999, which is not in the skill table"));
    }
}

TEST_CASE("migration 6 adds the game tables to a version-5 database, whose catalogue reads back without game data", "[db][game][schema]") {
    const testing::ScratchDatabasePath scratch("mhwopt_test_v5");
    const std::string& path = scratch.path;
    testing::write_fixture_file_of_version(path, 5);
    {
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        // Read-only readers never migrate: a version-5 file reads back without game data.
        const Catalogue old = db::read_catalogue(raw.getHandle());
        CHECK(old.game().bonuses.empty());
        CHECK(db::read_stored_decorations(raw.getHandle(), old).empty());
        CHECK(db::CatalogueStore::content_hash(old) == db::CatalogueStore::content_hash(testing::fixture_catalogue()));
    }
    {
        db::Database migrated(path, db::OpenMode::ReadWrite);
        CHECK(migrated.schema_version() == db::Database::latest_schema_version());
        const Catalogue back = db::CatalogueStore(migrated).read();
        CHECK(back.game().bonuses.empty());
        CHECK(db::CatalogueStore::content_hash(back) == db::CatalogueStore::content_hash(testing::fixture_catalogue()));
        CHECK(query_int64(migrated, "SELECT count(*) FROM piece WHERE set_bonus IS NULL") == 15);
        CHECK(query_int64(migrated, "SELECT count(*) FROM decoration") == 0);
        SQLite::Statement integrity(migrated, "PRAGMA integrity_check");
        REQUIRE(integrity.executeStep());
        CHECK(integrity.getColumn(0).getString() == "ok");
    }
}
