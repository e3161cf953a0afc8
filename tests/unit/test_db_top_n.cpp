// mhwopt_top_n, the aggregate `score` ranks with: its rows must be exactly those of
// ORDER BY score(id) DESC, id LIMIT N, bit for bit, whatever the config (ties included), the
// filter and the order rows arrive in; NULLs and bad arguments behave as the other functions'.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include <SQLiteCpp/Statement.h>

#include "db/extension/sql_functions.hpp"
#include "db_test_fixture.hpp"
#include "io/config_reader.hpp"

using namespace mhwopt;
using testing::aggregated;
using testing::same_bits;

namespace {

struct RankingDatabase {
    db::Database database{":memory:", db::OpenMode::Create};
    db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
    RankingDatabase() {
        testing::import_fixture(database);
        database.exec("WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 215) INSERT INTO combination SELECT id FROM k");
    }
};

// Weights drawn from a few round values, so many sets tie and the lower id must win.
Config random_config(std::mt19937& rng) {
    const double values[] = {0.0, 1.0, 2.0, -1.0, 0.5, 3.25};
    auto pick = [&] { return values[std::uniform_int_distribution<int>(0, 5)(rng)]; };
    Config config;
    for (double& w : config.deco_weights) w = pick();
    config.num_decos_weight = pick();
    config.defence_weight = pick() / 64.0;
    for (const char* skill : {"Attack Boost", "Critical Eye", "Health Boost", "Handicraft", "Weakness Exploit", "Critical Boost"})
        if (std::uniform_int_distribution<int>(0, 3)(rng) != 0)
            config.skills.emplace_back(skill, SkillRule{static_cast<double>(std::uniform_int_distribution<int>(0, 5)(rng)), pick(), pick()});
    return config;
}

std::vector<Ranked> ordered(SQLite::Database& db, const std::string& sql) {
    std::vector<Ranked> rows;
    SQLite::Statement statement(db, sql);
    while (statement.executeStep())
        rows.push_back({statement.getColumn(1).getDouble(), static_cast<CombinationKey>(statement.getColumn(0).getInt64())});
    return rows;
}

}  // namespace

TEST_CASE("mhwopt_top_n ranks exactly as ORDER BY score DESC, id LIMIT N", "[db][top_n]") {
    RankingDatabase f;
    std::mt19937 rng(20261204);
    const char* filters[] = {"1", "defence(id) >= 380", "id % 3 = 1", "skill(id, 'Attack Boost') >= 3", "id < 0"};
    for (int round = 0; round < 60; ++round) {
        f.functions.set_current_config(random_config(rng));
        for (const char* filter : filters)
            for (int limit : {1, 2, 7, 100, 216, 500}) {
                INFO("round " << round << ", WHERE " << filter << ", N " << limit);
                const std::string where = std::string(" WHERE ") + filter;
                const std::vector<Ranked> expected =
                    ordered(f.database, "SELECT id, score(id) FROM combination" + where + " ORDER BY 2 DESC, id LIMIT " + std::to_string(limit));
                const std::string n = std::to_string(limit);
                CHECK(same_bits(aggregated(f.database, "SELECT mhwopt_top_n(id, " + n + ") FROM combination" + where), expected));
                CHECK(same_bits(aggregated(f.database, "SELECT mhwopt_top_n(id, score(id), " + n + ") FROM combination" + where), expected));
                // mhwopt_may_rank first, as `score --where` runs it: the filter is skipped for rows the
                // aggregate's cut rules out, and the result stays the same.
                CHECK(same_bits(aggregated(f.database, "SELECT mhwopt_top_n(id, " + n + ") FROM combination WHERE mhwopt_may_rank(id) AND (" +
                                                           filter + ")"),
                                expected));
                CHECK(same_bits(aggregated(f.database, "SELECT mhwopt_top_n(id, " + n + ") FROM (SELECT id FROM combination ORDER BY random()) "
                                                           "WHERE mhwopt_may_rank(id) AND (" + filter + ")"),
                                expected));
                // Rows in no particular order: the bounds' slow paths, and no reliance on id order.
                CHECK(same_bits(aggregated(f.database, "SELECT mhwopt_top_n(id, " + n + ") FROM (SELECT id FROM combination" + where +
                                                           " ORDER BY random())"),
                                expected));
            }
    }
}

TEST_CASE("mhwopt_may_rank rules out only rows the running aggregate's cut rules out", "[db][top_n]") {
    RankingDatabase f;
    f.functions.set_current_config(Config{});
    // No aggregate running: every row may rank, NULL gives NULL, and a bad id is left to the aggregate.
    CHECK(f.database.execAndGet("SELECT count(*) FROM combination WHERE mhwopt_may_rank(id)").getInt64() == 216);
    CHECK(f.database.execAndGet("SELECT mhwopt_may_rank(NULL)").isNull());
    CHECK(f.database.execAndGet("SELECT mhwopt_may_rank(-5) + mhwopt_may_rank('x')").getInt() == 2);
    // While one runs: some rows are ruled out (the cut is known early), and the aggregate's final
    // call forgets it, so a later statement sees every row again.
    SQLite::Statement both(f.database, "SELECT mhwopt_top_n(id, 1), sum(mhwopt_may_rank(id)) FROM combination");
    REQUIRE(both.executeStep());
    CHECK(both.getColumn(1).getInt64() < 216);
    CHECK(both.getColumn(1).getInt64() > 0);
    both.reset();
    CHECK(f.database.execAndGet("SELECT count(*) FROM combination WHERE mhwopt_may_rank(id)").getInt64() == 216);
    std::string error;
    try {
        f.database.execAndGet("SELECT mhwopt_top_n(id, 2) FROM (SELECT -1 AS id) WHERE mhwopt_may_rank(id)");
    } catch (const SQLite::Exception& e) {
        error = e.what();
    }
    CHECK(error.find("combination id -1 is not between 0 and 215") != std::string::npos);
}

TEST_CASE("mhwopt_top_n skips NULL rows, gives NULL for a NULL N, and refuses bad arguments", "[db][top_n]") {
    RankingDatabase f;
    f.functions.set_current_config(read_config_text(testing::kDbFixtureConfig, "config", {}));
    CHECK(f.database.execAndGet("SELECT mhwopt_top_n(id, NULL) FROM combination").isNull());
    CHECK(f.database.execAndGet("SELECT mhwopt_top_n(id, score(id), NULL) FROM combination").isNull());
    CHECK(f.database.execAndGet("SELECT mhwopt_top_n(NULL, 3) FROM combination").getString() == "[]");
    CHECK(f.database.execAndGet("SELECT mhwopt_top_n(id, NULL, 3) FROM combination").getString() == "[]");
    CHECK(f.database.execAndGet("SELECT mhwopt_top_n(id, 3) FROM combination WHERE 0").getString() == "[]");
    CHECK(f.database.execAndGet("SELECT mhwopt_top_n(column1, column2, 2) FROM (VALUES (4, 1.5), (2, 1.5), (9, -2.0))").getString() ==
          "[[2,1.5],[4,1.5]]");
    auto error_of = [&](const std::string& sql) {
        try {
            f.database.execAndGet(sql);
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error_of("SELECT mhwopt_top_n(id, 0) FROM combination") == "mhwopt_top_n(id, ..., N): N must be an integer from 1 to 100000000");
    CHECK(error_of("SELECT mhwopt_top_n(id, 'many') FROM combination") == "mhwopt_top_n(id, ..., N): N must be an integer from 1 to 100000000");
    CHECK(error_of("SELECT mhwopt_top_n(1.5, 3)") == "mhwopt_top_n(id, N): id must be an integer combination id");
    CHECK(error_of("SELECT mhwopt_top_n(216, 3)") == "combination id 216 is not between 0 and 215");
    CHECK_THROWS_AS(db::parse_top_n("[[1,2]"), std::invalid_argument);
    CHECK_THROWS_AS(db::parse_top_n("[[x,2]]"), std::invalid_argument);
    CHECK(db::parse_top_n("[]").empty());
}
