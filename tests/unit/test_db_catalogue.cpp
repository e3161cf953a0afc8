// The catalogue tables: what import writes reads back as the very same catalogue, and the plain-SQL
// views agree with the C++ totals for every combination.
#include <catch2/catch.hpp>

#include <cstdio>
#include <unistd.h>

#include <SQLiteCpp/Statement.h>

#include "core/combination.hpp"
#include "db/extension/catalogue_reader.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/migrations.hpp"
#include "db_test_fixture.hpp"

using namespace mhwopt;

TEST_CASE("a stored catalogue reads back identical: order, positions, skill ids", "[db][catalogue]") {
    db::Database database(":memory:", db::OpenMode::Create);
    testing::import_fixture(database);
    const Catalogue original = testing::fixture_catalogue();
    const Catalogue stored = db::CatalogueStore(database).read();
    CHECK(db::CatalogueStore::content_hash(stored) == db::CatalogueStore::content_hash(original));
    REQUIRE(stored.skill_count() == original.skill_count());
    for (SkillId s = 0; s < original.skill_count(); ++s) CHECK(stored.skill_name(s) == original.skill_name(s));
    for (Part part : kAllParts) {
        REQUIRE(stored.pieces(part).size() == original.pieces(part).size());
        for (std::size_t i = 0; i < original.pieces(part).size(); ++i) {
            const Piece& a = original.pieces(part)[i];
            const Piece& b = stored.pieces(part)[i];
            CHECK(a.name == b.name);
            CHECK(a.defence == b.defence);
            CHECK(a.slots == b.slots);
            REQUIRE(a.skills.size() == b.skills.size());
            for (std::size_t k = 0; k < a.skills.size(); ++k) {
                CHECK(a.skills[k].skill == b.skills[k].skill);
                CHECK(a.skills[k].level == b.skills[k].level);
            }
        }
    }
    const auto info = db::CatalogueStore(database).info();
    REQUIRE(info);
    CHECK(info->radix_sizes == "3x2x3x2x2x3");
    CHECK(info->combination_count == 216);
    CHECK(info->source_file == "fixture.csv");
}

TEST_CASE("the content hash changes with anything that changes scores or output", "[db][catalogue]") {
    const Catalogue base = testing::fixture_catalogue();
    const Catalogue copy = base;
    Catalogue changed;  // same pieces, one defence differs
    for (SkillId s = 0; s < base.skill_count(); ++s) changed.intern_skill(base.skill_name(s));
    for (Part part : kAllParts)
        for (Piece piece : base.pieces(part)) {
            if (piece.name == "Coil B") piece.defence += 1;
            changed.add_piece(piece);
        }
    CHECK(db::CatalogueStore::content_hash(base) == db::CatalogueStore::content_hash(copy));
    CHECK(db::CatalogueStore::content_hash(base) != db::CatalogueStore::content_hash(changed));
}

TEST_CASE("reading an empty database says to import first", "[db][catalogue]") {
    db::Database database(":memory:", db::OpenMode::Create);
    CHECK_THROWS_WITH(db::CatalogueStore(database).read(), Catch::Contains("mhwopt import"));
}

namespace {

// Every row of combination_detail against totals_of: names, defence and slots, all 216 ids.
void check_detail(SQLite::Database& database) {
    const Catalogue catalogue = testing::fixture_catalogue();
    const KeyCodec codec(catalogue);
    SQLite::Statement detail(database, "SELECT * FROM combination_detail ORDER BY id");
    std::uint64_t rows = 0;
    while (detail.executeStep()) {
        const Positions positions = codec.decode(static_cast<CombinationKey>(detail.getColumn(0).getInt64()));
        const Totals totals = totals_of(catalogue, positions);
        for (Part part : kAllParts)
            CHECK(detail.getColumn(1 + static_cast<int>(index_of(part))).getString() == catalogue.pieces(part)[positions[index_of(part)]].name);
        CHECK(detail.getColumn(7).getInt64() == totals.defence);
        for (int l = 0; l < 4; ++l) CHECK(detail.getColumn(8 + l).getInt64() == totals.slots[static_cast<std::size_t>(l)]);
        ++rows;
    }
    CHECK(rows == 216);
}

const char* kAllFixtureIds = "WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 215) INSERT INTO combination SELECT id FROM k";

}  // namespace

TEST_CASE("combination_detail, in plain SQL, agrees with totals_of for every id", "[db][catalogue]") {
    db::Database database(":memory:", db::OpenMode::Create);
    testing::import_fixture(database);
    database.exec(kAllFixtureIds);
    const Catalogue catalogue = testing::fixture_catalogue();
    const KeyCodec codec(catalogue);
    check_detail(database);
    // The pair tables hold every pair once; a re-import of the same catalogue rebuilds them.
    CHECK(testing::query_int64(database, "SELECT count(*) FROM head_body") == 3 * 2);
    CHECK(testing::query_int64(database, "SELECT count(*) FROM arms_waist") == 3 * 2);
    CHECK(testing::query_int64(database, "SELECT count(*) FROM legs_charm") == 2 * 3);
    testing::import_fixture(database);
    check_detail(database);

    SQLite::Statement skills(database, "SELECT skill, level FROM combination_skill WHERE id = 0 ORDER BY skill");
    const Totals first = totals_of(catalogue, codec.decode(0));
    std::size_t found = 0;
    while (skills.executeStep()) {
        const SkillId id = *catalogue.find_skill(skills.getColumn(0).getString());
        for (const SkillLevel& s : first.skills)
            if (s.skill == id) CHECK(skills.getColumn(1).getInt64() == s.level);
        ++found;
    }
    CHECK(found == first.skills.size());
}

TEST_CASE("stored numbers outside what the CSV reader accepts are reported with their row", "[db][catalogue]") {
    // Each tampering, as an UPDATE the schema's CHECKs allow; piece 0 is "Helm A" (defence 70).
    const std::pair<const char*, const char*> tampered[] = {
        {"UPDATE piece SET defence = 9223372036854775807 WHERE id = 0", "piece 0 (\"Helm A\") has defence 9223372036854775807, expected a whole number from 0 to 1000000"},
        {"UPDATE piece SET defence = 1000001 WHERE id = 0", "has defence 1000001, expected"},
        {"UPDATE piece SET slots3 = 4294967298 WHERE id = 0", "piece 0 (\"Helm A\") has slots3 4294967298"},
        {"UPDATE piece SET slots2 = 1.5 WHERE id = 0", "has slots2 '1.5'"},
        {"UPDATE piece SET defence = '70' || 'x' WHERE id = 0", "has defence '70x'"},
        {"UPDATE piece_skill SET level = 2147483648 WHERE piece = 0 AND ordinal = 1", "piece 0 (\"Helm A\") has Attack Boost at level 2147483648"},
    };
    for (const auto& [sql, message] : tampered) {
        INFO(sql);
        db::Database database(":memory:", db::OpenMode::Create);
        testing::import_fixture(database);
        database.exec(sql);
        CHECK_THROWS_WITH(db::CatalogueStore(database).read(),
                          Catch::Contains("the catalogue is damaged: ") && Catch::Contains(message) && Catch::Contains("import the equipment again"));
    }
    db::Database database(":memory:", db::OpenMode::Create);
    testing::import_fixture(database);
    database.exec("UPDATE piece SET defence = 1000000 WHERE id = 0");  // the largest the CSV reader accepts
    CHECK(db::CatalogueStore(database).read().pieces(Part::Head)[0].defence == 1000000);
}

TEST_CASE("a database without the catalogue tables says to import first", "[db][catalogue]") {
    SQLite::Database bare(":memory:", SQLITE_OPEN_READWRITE);  // as the sqlite3 shell opens any file
    CHECK_THROWS_WITH(db::read_catalogue(bare.getHandle()),
                      Catch::Contains("this database holds no mhwopt catalogue; run mhwopt import first") && !Catch::Contains("no such table"));
}

TEST_CASE("migration 5 builds the pair tables of a catalogue imported before it", "[db][catalogue]") {
    const testing::ScratchDatabasePath scratch("mhwopt_test_v4");
    const std::string& path = scratch.path;
    testing::write_fixture_file_of_version(path, 4);
    SQLite::Database(path, SQLite::OPEN_READWRITE).exec(kAllFixtureIds);
    {
        db::Database migrated(path, db::OpenMode::ReadWrite);
        CHECK(migrated.schema_version() == db::Database::latest_schema_version());
        check_detail(migrated);
    }
}

namespace {

// The fixture with every defence raised, so that defence(id) changes for every id.
Catalogue fixture_with_defence_raised() {
    const Catalogue base = testing::fixture_catalogue();
    Catalogue changed;
    for (SkillId s = 0; s < base.skill_count(); ++s) changed.intern_skill(base.skill_name(s));
    for (Part part : kAllParts)
        for (Piece piece : base.pieces(part)) {
            piece.defence += 20;
            changed.add_piece(piece);
        }
    return changed;
}

}  // namespace

TEST_CASE("a new catalogue rebuilds the user's indexes over the deterministic functions", "[db][catalogue]") {
    db::Database database(":memory:", db::OpenMode::Create);
    testing::import_fixture(database);
    {
        const db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
        database.exec("CREATE TABLE mine(id INTEGER PRIMARY KEY, note TEXT);"
                      "WITH RECURSIVE n(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM n WHERE v < 215) INSERT INTO mine(id) SELECT v FROM n;"
                      "CREATE INDEX md ON mine(defence(id));"
                      "CREATE TABLE virt(id INTEGER PRIMARY KEY, d INTEGER GENERATED ALWAYS AS (defence(id)) VIRTUAL);"
                      "INSERT INTO virt(id) SELECT id FROM mine;"
                      "CREATE INDEX vd ON virt(d);");
    }
    {
        SQLite::Transaction transaction = db::begin_write(database);
        db::CatalogueStore(database).write(fixture_with_defence_raised(), "raised.csv");
        db::commit(transaction, database);
    }
    // A new connection's functions, as the user's next session has them.
    const db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
    CHECK(database.execAndGet("PRAGMA integrity_check").getString() == "ok");
    const std::int64_t indexed = testing::query_int64(database, "SELECT count(*) FROM mine INDEXED BY md WHERE defence(id) > 400");
    const std::int64_t scanned = testing::query_int64(database, "SELECT count(*) FROM mine NOT INDEXED WHERE defence(id) > 400");
    CHECK(scanned > 0);
    CHECK(indexed == scanned);
    CHECK(testing::query_int64(database, "SELECT count(*) FROM virt INDEXED BY vd WHERE d > 400") ==
          testing::query_int64(database, "SELECT count(*) FROM virt NOT INDEXED WHERE d > 400"));
}

TEST_CASE("a new catalogue is refused while a stored column or a CHECK computes with the functions", "[db][catalogue]") {
    for (const char* table : {"CREATE TABLE kept(id INTEGER PRIMARY KEY, d INTEGER GENERATED ALWAYS AS (defence(id)) STORED)",
                              "CREATE TABLE kept(id INTEGER PRIMARY KEY CHECK (defence(id) < 1000))"}) {
        db::Database database(":memory:", db::OpenMode::Create);
        testing::import_fixture(database);
        {
            const db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
            database.exec(table);
            database.exec("INSERT INTO kept(id) VALUES (0), (1)");
        }
        SQLite::Transaction transaction = db::begin_write(database);
        CHECK_THROWS_WITH(db::CatalogueStore(database).write(fixture_with_defence_raised(), "raised.csv"),
                          ":memory:: the table kept computes with mhwopt's SQL functions in a stored generated column or a CHECK "
                          "constraint, which a new catalogue would leave wrong; drop it (or those columns) and import again");
    }
}
