// Which decorations a decorated result came from (sql/008_decorations_hash.sql, db/decoration_provenance):
// the digest of the stored rows, the generation whose sets depend on them, and migration 8.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "db/decoration_provenance.hpp"
#include "db_test_fixture.hpp"

using namespace mhwopt;
using testing::query_int64;

namespace {

void store(db::Database& database, const testing::GameFixture& f, const std::vector<Decoration>& decorations) {
    SQLite::Transaction transaction = db::begin_write(database);
    db::CatalogueStore(database).write(f.catalogue, "fixture.csv", decorations);
    db::commit(transaction, database);
}

std::string hash_of(const testing::GameFixture& f, const std::vector<Decoration>& decorations) {
    db::Database database(":memory:", db::OpenMode::Create);
    store(database, f, decorations);
    return db::stored_decorations_hash(database);
}

// A generation run row as generate writes it; `hash` empty: NULL.
void add_run(db::Database& database, const std::string& status, bool decorated, const std::string& hash, std::int64_t rows) {
    SQLite::Statement insert(database,
        "INSERT INTO generation_run(catalogue_hash, filters, filters_json, batch_size, started, status, rows_written, top_n, config_text,"
        " weapon_slots, decorations_hash) VALUES ((SELECT content_hash FROM catalogue), '--top 5', '{}', 1, 'now', ?, ?, 5, '{}', ?, ?)");
    insert.bind(1, status);
    insert.bind(2, rows);
    if (decorated) insert.bind(3, "4,4,2");
    if (!hash.empty()) insert.bind(4, hash);
    insert.exec();
}

}  // namespace

TEST_CASE("the decorations digest changes with anything a placement reads, and only then", "[db][provenance]") {
    const testing::GameFixture f = testing::game_fixture();
    const std::string original = hash_of(f, f.decorations);
    CHECK(original.rfind("fnv1a64:", 0) == 0);
    CHECK(hash_of(f, f.decorations) == original);  // the same rows, another database

    std::set<std::string> seen{original};
    auto changed = [&](const char* what, auto edit) {
        std::vector<Decoration> decorations = f.decorations;
        edit(decorations);
        INFO(what);
        CHECK(seen.insert(hash_of(f, decorations)).second);
    };
    changed("a name", [](auto& d) { d[0].name += "+"; });
    changed("a size", [](auto& d) { d[1].size = 2; });
    changed("an owned count", [](auto& d) { d[0].count = 1; });
    changed("an unlimited count made 0", [](auto& d) { d[1].count = 0; });
    changed("a level", [](auto& d) { d[2].skills[1].level += 1; });
    changed("a skill", [&](auto& d) { d[0].skills[0].skill = *f.catalogue.find_skill("Critical Eye"); });
    changed("a second skill dropped", [](auto& d) { d[2].skills.pop_back(); });
    changed("the order", [](auto& d) { std::swap(d[0], d[1]); });
    changed("one fewer", [](auto& d) { d.pop_back(); });
    changed("none", [](auto& d) { d.clear(); });
}

TEST_CASE("the decorated generation is the latest run, while it owns stored or resumable sets", "[db][provenance]") {
    const testing::GameFixture f = testing::game_fixture();
    db::Database database(":memory:", db::OpenMode::Create);
    store(database, f, f.decorations);
    const std::string hash = db::stored_decorations_hash(database);
    CHECK_FALSE(db::decorated_generation(database));

    add_run(database, "interrupted", true, hash, 0);
    auto generation = db::decorated_generation(database);
    REQUIRE(generation);  // unfinished, no rows yet: its --resume searches with the stored decorations
    CHECK(generation->run == 1);
    CHECK(generation->decorations_hash == hash);
    CHECK(db::describe(*generation) == "generation run 1 (--top 5; interrupted, 0 combinations stored)");

    database.exec("UPDATE generation_run SET status = 'finished'");
    CHECK_FALSE(db::decorated_generation(database));  // finished with no rows left (dropped since)
    database.exec("INSERT INTO combination(id) VALUES (3), (9)");
    REQUIRE(db::decorated_generation(database));

    database.exec("UPDATE generation_run SET decorations_hash = NULL");
    generation = db::decorated_generation(database);
    REQUIRE(generation);
    CHECK_FALSE(generation->decorations_hash);  // recorded before schema 8
    CHECK(db::match_stored_decorations(database, generation->decorations_hash) == db::DecorationsMatch::Unknown);
    CHECK(db::match_stored_decorations(database, hash) == db::DecorationsMatch::Same);
    CHECK(db::match_stored_decorations(database, std::string("fnv1a64:0")) == db::DecorationsMatch::Other);

    add_run(database, "finished", false, "", 2);  // a plain run after it owns the rows now
    CHECK_FALSE(db::decorated_generation(database));
    add_run(database, "abandoned", true, hash, 0);
    CHECK_FALSE(db::decorated_generation(database));
    add_run(database, "finished", true, hash, 2);
    REQUIRE(db::decorated_generation(database));
    database.exec("UPDATE catalogue SET content_hash = 'another'");  // a run of another catalogue
    CHECK_FALSE(db::decorated_generation(database));
}

TEST_CASE("a decorated ranking over sets chosen with other decorations is refused, and never recorded as these", "[db][provenance]") {
    const testing::GameFixture f = testing::game_fixture();
    db::Database database(":memory:", db::OpenMode::Create);
    store(database, f, f.decorations);
    const std::string hash = db::stored_decorations_hash(database);
    std::vector<std::string> warnings;
    const WarningSink warn = [&](const std::string& w) { warnings.push_back(w); };
    database.exec("INSERT INTO combination(id) VALUES (3)");
    add_run(database, "finished", true, hash, 1);
    CHECK(db::check_ranking_decorations(database, "x.db", warn) == hash);
    CHECK(warnings.empty());

    database.exec("UPDATE decoration SET count = 5 WHERE id = 0");  // changed behind the run's back
    CHECK_THROWS_WITH(db::check_ranking_decorations(database, "x.db", warn),
                      Catch::StartsWith("x.db: the stored combinations are those generation run 1 (--top 5; finished, 1 combinations stored) "
                                        "chose by their placement of other decorations than those stored now"));
    CHECK_THROWS_WITH(db::check_resume_decorations(database, 1, "x.db", warn),
                      Catch::Contains("they are not the best 5 with these. Use --replace to generate them again"));
    database.exec("UPDATE generation_run SET status = 'interrupted'");
    CHECK_THROWS_WITH(db::check_resume_decorations(database, 1, "x.db", warn), Catch::Contains("resuming it would mix two searches"));

    database.exec("UPDATE generation_run SET decorations_hash = NULL, status = 'finished'");
    const std::string now = db::check_ranking_decorations(database, "x.db", warn);
    CHECK(now != hash);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("recorded before mhwopt recorded which decorations a run placed (schema version 8)"));
    db::check_resume_decorations(database, 1, "x.db", warn);
    CHECK(warnings.size() == 2);

    database.exec("INSERT INTO score_run(config_source, config_text, row_limit, catalogue_hash, scored, seconds, weapon_slots)"
                  " VALUES ('c.json', '{}', 5, 'h', 'now', 0, '4,4,2')");
    db::record_score_decorations(database, 1, now);
    CHECK(database.execAndGet("SELECT decorations_hash FROM score_run").getString() == now);
    CHECK_THROWS_WITH(db::record_score_decorations(database, 1, hash), Catch::Contains("the stored decorations changed while ranking"));
}

TEST_CASE("migration 8 records no decorations for the runs before it", "[db][provenance][schema]") {
    const testing::ScratchDatabasePath scratch("mhwopt_test_v7");
    const std::string& path = scratch.path;
    testing::write_fixture_file_of_version(path, 7);
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("INSERT INTO generation_run(catalogue_hash, filters, filters_json, batch_size, started, status, weapon_slots)"
                 " VALUES ('h', '', '{}', 1, 'now', 'finished', '4,4,2');"
                 "INSERT INTO score_run(config_source, config_text, row_limit, catalogue_hash, scored, seconds, weapon_slots)"
                 " VALUES ('c.json', '{}', 5, 'h', 'now', 0, '')");
    }
    db::Database migrated(path, db::OpenMode::ReadWrite);
    CHECK(migrated.schema_version() == db::Database::latest_schema_version());
    CHECK(query_int64(migrated, "SELECT count(*) FROM generation_run WHERE weapon_slots = '4,4,2' AND decorations_hash IS NULL") == 1);
    CHECK(query_int64(migrated, "SELECT count(*) FROM score_run WHERE weapon_slots = '' AND decorations_hash IS NULL") == 1);
}
