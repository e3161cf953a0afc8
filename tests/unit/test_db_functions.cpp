// The SQL functions: bit-identical to the C++ scorer, NULL in -> NULL out, errors as SQL errors;
// and the read-only guard that runs users' SQL.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include <SQLiteCpp/Statement.h>

#include "core/scorer.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/read_only_guard.hpp"
#include "db_test_fixture.hpp"
#include "io/config_reader.hpp"

using namespace mhwopt;
using testing::query_int64;

namespace {

// An in-memory database with the fixture's catalogue, every combination, and the functions.
struct FunctionDatabase {
    db::Database database{":memory:", db::OpenMode::Create};
    db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
    FunctionDatabase() {
        testing::import_fixture(database);
        database.exec("WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 215) INSERT INTO combination SELECT id FROM k");
    }
    db::Database& db() { return database; }
};

using testing::error_of;

}  // namespace

TEST_CASE("the function table registers every function with its arity", "[db][functions]") {
    std::size_t count = 0;
    const auto* definitions = db::SqlFunctions::definitions(count);
    std::vector<std::pair<std::string, int>> found;
    for (std::size_t i = 0; i < count; ++i) found.emplace_back(definitions[i].name, definitions[i].arity);
    CHECK(found == std::vector<std::pair<std::string, int>>{{"score", 1}, {"score", 2}, {"score_json", 2}, {"skill", 2}, {"defence", 1},
                                                            {"slots", 2}, {"piece", 2}, {"mhwopt_may_rank", 1}, {"mhwopt_rank_row", 2},
                                                            {"decorated_score", 3}, {"placement", 3}, {"placed_skill", 4},
                                                            {"mhwopt_top_n", 2}, {"mhwopt_top_n", 3}});
    FunctionDatabase f;
    for (std::size_t i = 0; i < count; ++i) {
        INFO(definitions[i].name << "/" << definitions[i].arity);
        const std::string flags = definitions[i].deterministic ? "(flags & 0x800) != 0" : "(flags & 0x800) = 0";  // SQLITE_DETERMINISTIC
        CHECK(query_int64(f.db(), std::string("SELECT count(*) FROM pragma_function_list WHERE name = '") + definitions[i].name +
                                      "' AND narg = " + std::to_string(definitions[i].arity) + " AND type = '" +
                                      (definitions[i].final ? "a" : "s") + "' AND " + flags) == 1);
    }
}

TEST_CASE("score(id, CONFIG) is bit-identical to Scorer::score for every combination", "[db][functions]") {
    FunctionDatabase f;
    const Catalogue catalogue = testing::fixture_catalogue();
    const Scorer scorer(catalogue, read_config_text(testing::kDbFixtureConfig, "config", {}));
    const KeyCodec codec(catalogue);

    const std::string path = "/tmp/mhwopt_test_config_" + std::to_string(getpid()) + ".json";
    std::ofstream(path) << testing::kDbFixtureConfig;
    for (const std::string& argument : {std::string(testing::kDbFixtureConfig), path}) {
        SQLite::Statement statement(f.db(), "SELECT id, score(id, ?) FROM combination ORDER BY id DESC");  // any order
        statement.bind(1, argument);
        std::size_t rows = 0;
        while (statement.executeStep()) {
            const double expected =
                scorer.score(totals_of(catalogue, codec.decode(static_cast<CombinationKey>(statement.getColumn(0).getInt64()))));
            CHECK(statement.getColumn(1).getDouble() == expected);  // exact, not approximately
            ++rows;
        }
        CHECK(rows == 216);
    }
    std::remove(path.c_str());
}

TEST_CASE("skill, defence, slots and piece give the combination's totals", "[db][functions]") {
    FunctionDatabase f;
    const Catalogue catalogue = testing::fixture_catalogue();
    const KeyCodec codec(catalogue);
    SQLite::Statement statement(f.db(),
        "SELECT id, defence(id), slots(id, 1), slots(id, 2), slots(id, 3), slots(id, 4), skill(id, 'Attack Boost'),"
        " skill(id, 'Weakness Exploit'), skill(id, 'Not A Skill'), piece(id, 'Head'), piece(id, 'charm') FROM combination");
    const SkillId attack = *catalogue.find_skill("Attack Boost");
    const SkillId weakness = *catalogue.find_skill("Weakness Exploit");
    auto int64 = [&](int column) { return statement.getColumn(column).getInt64(); };
    while (statement.executeStep()) {
        const Positions positions = codec.decode(static_cast<CombinationKey>(int64(0)));
        const Totals totals = totals_of(catalogue, positions);
        CHECK(int64(1) == totals.defence);
        for (int l = 0; l < 4; ++l) CHECK(int64(2 + l) == totals.slots[static_cast<std::size_t>(l)]);
        int attack_level = 0, weakness_level = 0;
        for (const SkillLevel& s : totals.skills) {
            if (s.skill == attack) attack_level = s.level;
            if (s.skill == weakness) weakness_level = s.level;
        }
        CHECK(int64(6) == attack_level);
        CHECK(int64(7) == weakness_level);
        CHECK(int64(8) == 0);
        CHECK(statement.getColumn(9).getString() == catalogue.pieces(Part::Head)[positions[0]].name);
        CHECK(statement.getColumn(10).getString() == catalogue.pieces(Part::Charm)[positions[5]].name);
    }
}

TEST_CASE("every function returns NULL for a NULL argument", "[db][functions]") {
    FunctionDatabase f;
    f.functions.set_current_config(read_config_text(testing::kDbFixtureConfig, "config", {}));
    for (const char* call : {"score(NULL)", "score(NULL, '{}')", "score(1, NULL)", "skill(NULL, 'Attack Boost')", "skill(1, NULL)",
                             "defence(NULL)", "slots(NULL, 1)", "slots(1, NULL)", "piece(NULL, 'Head')", "piece(1, NULL)"}) {
        INFO(call);
        SQLite::Statement statement(f.db(), std::string("SELECT ") + call);
        REQUIRE(statement.executeStep());
        CHECK(statement.isColumnNull(0));
    }
}

TEST_CASE("bad arguments are SQL errors with a clear message", "[db][functions]") {
    FunctionDatabase f;
    CHECK_THAT(error_of(f.db(), "SELECT defence(216)"), Catch::Contains("combination id 216 is not between 0 and 215"));
    CHECK_THAT(error_of(f.db(), "SELECT defence(-1)"), Catch::Contains("not between 0 and 215"));
    CHECK_THAT(error_of(f.db(), "SELECT defence('x')"), Catch::Contains("id must be an integer"));
    CHECK_THAT(error_of(f.db(), "SELECT defence(1.5)"), Catch::Contains("id must be an integer"));
    CHECK_THAT(error_of(f.db(), "SELECT slots(1, 5)"), Catch::Contains("level must be 1, 2, 3 or 4"));
    CHECK_THAT(error_of(f.db(), "SELECT piece(1, 'Hat')"), Catch::Contains("found 'Hat', expected Head, Body"));
    CHECK_THAT(error_of(f.db(), "SELECT score(1, '{\"limit\": 0}')"), Catch::Contains("limit"));
    CHECK_THAT(error_of(f.db(), "SELECT score(1, '{ bad json')"), Catch::Contains("score() config:1:"));
    CHECK_THAT(error_of(f.db(), "SELECT score(1, '/no/such/config.json')"), Catch::Contains("/no/such/config.json"));
    CHECK_THAT(error_of(f.db(), "SELECT score(1)"), Catch::Contains("no config yet"));
}

TEST_CASE("score(id) uses the current config, else the latest saved score run", "[db][functions]") {
    FunctionDatabase f;
    const Catalogue catalogue = testing::fixture_catalogue();
    const KeyCodec codec(catalogue);
    const Config config = read_config_text(testing::kDbFixtureConfig, "config", {});
    const double expected = Scorer(catalogue, config).score(totals_of(catalogue, codec.decode(7)));

    SQLite::Statement save(f.db(), "INSERT INTO score_run(config_source, config_text, row_limit, catalogue_hash, scored, seconds) VALUES ('c.json', ?, 5, 'h', 'now', 0)");
    save.bind(1, std::string(testing::kDbFixtureConfig));
    save.exec();
    SQLite::Statement from_saved(f.db(), "SELECT score(7)");
    REQUIRE(from_saved.executeStep());
    CHECK(from_saved.getColumn(0).getDouble() == expected);

    Config other = config;
    other.defence_weight = 10.0;
    f.functions.set_current_config(other);
    SQLite::Statement from_current(f.db(), "SELECT score(7)");
    REQUIRE(from_current.executeStep());
    CHECK(from_current.getColumn(0).getDouble() == Scorer(catalogue, other).score(totals_of(catalogue, codec.decode(7))));
}

TEST_CASE("the read-only guard lets reads through and refuses everything else", "[db][guard]") {
    FunctionDatabase f;
    SECTION("reads, functions, recursive CTEs and reporting PRAGMAs") {
        db::ReadOnlyGuard guard(f.db(), nullptr, std::nullopt);
        for (const char* sql : {"SELECT count(*) FROM combination_detail WHERE defence >= 300", "SELECT piece(5, 'Head')",
                                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) SELECT sum(x) FROM n",
                                "PRAGMA table_info(piece)", "PRAGMA user_version"}) {
            INFO(sql);
            SQLite::Statement statement = guard.prepare(sql, "query");
            CHECK_NOTHROW(guard.step(statement));
        }
    }
    SECTION("writes and escapes") {
        db::ReadOnlyGuard guard(f.db(), nullptr, std::nullopt);
        const std::pair<const char*, const char*> refused[] = {
            {"DELETE FROM combination", "DELETE on combination"},
            {"UPDATE piece SET defence = 0", "UPDATE on piece"},
            {"INSERT INTO combination VALUES (999)", "INSERT on combination"},
            // Schema changes are caught at their first write, to the schema table; named as written.
            {"DROP TABLE combination", "refused: DROP (it writes sqlite_master)"},
            {"CREATE TABLE t(x)", "refused: CREATE (it writes sqlite_master)"},
            {"ALTER TABLE piece RENAME TO p", "refused: ALTER TABLE"},
            {"ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH"},
            {"PRAGMA writable_schema = 1", "PRAGMA writable_schema with a value"},
            {"PRAGMA user_version = 7", "PRAGMA user_version with a value"},
            {"PRAGMA journal_mode = OFF", "PRAGMA journal_mode with a value"},
            {"VACUUM INTO '/tmp/mhwopt_test_vacuum.db'", "refused: VACUUM (the statement writes)"},
            {" /* a comment */ -- and another\n vacuum", "refused: VACUUM (the statement writes)"},
            {"BEGIN", "transaction"},
            {"SELECT 1; DELETE FROM combination", "more than one statement"},
        };
        for (const auto& [sql, reason] : refused) {
            INFO(sql);
            CHECK_THROWS_WITH(guard.prepare(sql, "query"), Catch::Contains("refused") && Catch::Contains(reason));
        }
        CHECK_THROWS_WITH(guard.prepare("SELECT load_extension('/tmp/x.so')", "query"),
                          Catch::Contains("refused: the function load_extension()"));
        CHECK(query_int64(f.db(), "SELECT count(*) FROM combination") == 216);
        CHECK(access("/tmp/mhwopt_test_vacuum.db", F_OK) != 0);
    }
    SECTION("huge values are capped") {
        db::ReadOnlyGuard guard(f.db(), nullptr, std::nullopt);
        SQLite::Statement statement = guard.prepare("SELECT length(randomblob(2000000000))", "query");
        CHECK_THROWS_WITH(guard.step(statement), Catch::Contains("too big (a value may hold at most 16 MB)"));
    }
    SECTION("an endless query stops at the time limit, and on cancel") {
        const char* endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n";
        {
            db::ReadOnlyGuard guard(f.db(), nullptr, 0.05);
            SQLite::Statement statement = guard.prepare(endless, "query");
            CHECK_THROWS_AS(guard.step(statement), db::QueryStopped);
        }
        std::atomic<bool> cancel{true};
        db::ReadOnlyGuard guard(f.db(), &cancel, std::nullopt);
        SQLite::Statement statement = guard.prepare(endless, "query");
        try {
            guard.step(statement);
            FAIL("not stopped");
        } catch (const db::QueryStopped& stopped) {
            CHECK(stopped.cancelled);
        }
    }
}

TEST_CASE("the read-only guard lets reading PRAGMAs and table-valued functions through", "[db][guard]") {
    FunctionDatabase f;
    // Eponymous tables are declared on first use, which SQLite reports as schema updates: each
    // statement runs on a fresh guard, as query runs it.
    for (const char* sql : {"PRAGMA journal_mode", "SELECT * FROM pragma_user_version", "SELECT * FROM pragma_table_info('piece')",
                            "SELECT value FROM json_each('[1, 2]')", "SELECT * FROM json_tree('{\"a\": 1}')", "PRAGMA page_count",
                            "SELECT '{\"a\": 3}' ->> '$.a'", "SELECT row_number() OVER (ORDER BY id) FROM combination LIMIT 2",
                            "SELECT sqrt(2), date('now'), json_object('a', 1), printf('%d', 3)"}) {
        INFO(sql);
        db::ReadOnlyGuard guard(f.db(), nullptr, std::nullopt);
        SQLite::Statement statement = guard.prepare(sql, "query");
        CHECK(guard.step(statement));
    }
    db::ReadOnlyGuard guard(f.db(), nullptr, std::nullopt);
    CHECK_THROWS_WITH(guard.prepare("PRAGMA journal_mode = delete", "query"), Catch::Contains("PRAGMA journal_mode with a value"));
    CHECK_THROWS(guard.prepare("UPDATE sqlite_master SET sql = ''", "query"));  // by the guard or by SQLITE_DBCONFIG_DEFENSIVE
}

TEST_CASE("the read-only guard calls only allow-listed functions", "[db][guard]") {
    FunctionDatabase f;
    for (const char* sql : {"SELECT fts3_tokenizer('simple')", "SELECT fts3_tokenizer('x', x'00')", "SELECT sqlite_log(1, 'x')",
                            "SELECT sqlite_compileoption_get(0)", "SELECT load_extension('/tmp/x.so')", "SELECT FTS3_TOKENIZER('simple')",
                            "SELECT count(*) FROM combination WHERE fts3_tokenizer('simple') IS NOT NULL"}) {
        INFO(sql);
        db::ReadOnlyGuard guard(f.db(), nullptr, std::nullopt);
        CHECK_THROWS_WITH(guard.prepare(sql, "query"), Catch::Contains("refused: the function") && !Catch::Contains("not authorized"));
    }
    // Every function this SQLite offers is refused exactly when it is not on the allow-list.
    std::vector<std::pair<std::string, int>> functions;
    {
        SQLite::Statement list(f.db(), "SELECT DISTINCT name, narg FROM pragma_function_list");
        while (list.executeStep()) functions.emplace_back(list.getColumn(0).getString(), list.getColumn(1).getInt());
    }
    REQUIRE(functions.size() > 100);
    int refused = 0;
    for (const auto& [name, narg] : functions) {
        if (name == "->" || name == "->>") continue;  // operators, not callable by name
        std::string arguments;
        for (int i = 0; i < std::max(narg, 1) && narg != 0; ++i) arguments += i ? ", 'x'" : "'x'";
        const std::string sql = "SELECT " + name + "(" + arguments + ")";
        INFO(sql);
        db::ReadOnlyGuard guard(f.db(), nullptr, std::nullopt);
        std::string error;
        try {
            guard.prepare(sql, "query");
        } catch (const std::exception& e) {
            error = e.what();
        }
        const bool was_refused = error.find("refused: the function") != std::string::npos;
        CHECK(was_refused == !db::is_allowed_sql_function(name.c_str()));
        refused += was_refused;
    }
    CHECK(refused > 0);
    for (const char* name : {"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit", "sqlite_log", "sqlite_compileoption_get"})
        CHECK_FALSE(db::is_allowed_sql_function(name));
}

TEST_CASE("only what depends on its arguments alone is declared deterministic", "[db][functions]") {
    // score(id) follows the current or latest saved config and score(id, 'file') reads a file: an
    // index over either would go stale, so SQLite must refuse one. score_json may stand in an index.
    FunctionDatabase f;
    f.functions.set_current_config(read_config_text(testing::kDbFixtureConfig, "config", {}));
    const std::string path = "/tmp/mhwopt_test_config_" + std::to_string(getpid()) + ".json";
    std::ofstream(path) << testing::kDbFixtureConfig;
    f.db().exec("CREATE TABLE mine(id INTEGER PRIMARY KEY)");
    f.db().exec("INSERT INTO mine SELECT id FROM combination");
    CHECK_THAT(error_of(f.db(), "CREATE INDEX by_file ON mine(score(id, '" + path + "'))"), Catch::Contains("non-deterministic"));
    CHECK_THAT(error_of(f.db(), "CREATE INDEX by_current ON mine(score(id))"), Catch::Contains("non-deterministic"));
    std::remove(path.c_str());
    CHECK_NOTHROW(f.db().exec(std::string("CREATE INDEX by_json ON mine(score_json(id, '") + testing::kDbFixtureConfig + "'))"));
    for (const char* name : {"skill", "defence", "slots", "piece", "score_json"})
        CHECK(query_int64(f.db(), std::string("SELECT count(*) FROM pragma_function_list WHERE name = '") + name +
                                      "' AND (flags & 0x800) != 0") == 1);
    SQLite::Statement same(f.db(), "SELECT count(*) FROM mine WHERE score_json(id, ?1) IS NOT score(id, ?1)");
    same.bind(1, testing::kDbFixtureConfig);
    REQUIRE(same.executeStep());
    CHECK(same.getColumn(0).getInt64() == 0);
    CHECK(error_of(f.db(), "SELECT score_json(1, 'config.json')") ==
          "score_json(id, JSON): found 'config.json', expected a config's JSON text ('{...}'); for a file, score(id, 'config.json')");
}
