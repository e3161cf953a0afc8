// best_sets, the table-valued function over the whole catalogue: its rows are the exact search's
// (what `mhwopt run` writes), bit for bit, with the pieces and totals of each; arguments behave
// as the scalar functions' (NULL in, nothing out; bad ones are SQL errors).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>

#include <SQLiteCpp/Statement.h>

#include "core/search.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/read_only_guard.hpp"
#include "db_test_fixture.hpp"
#include "io/config_reader.hpp"

using namespace mhwopt;

namespace {

struct BestSetsDatabase {
    db::Database database{":memory:", db::OpenMode::Create};
    db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
    BestSetsDatabase() { testing::import_fixture(database); }  // no combination stored: best_sets needs none
};

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// The rows best_sets gives against the exhaustive reference over the same filters.
void check_against_reference(SQLite::Database& db, const std::string& call, std::size_t limit, const Filters& filters) {
    const Catalogue catalogue = testing::fixture_catalogue();
    const Scorer scorer(catalogue, read_config_text(testing::kDbFixtureConfig, "config", {}));
    const KeyCodec codec(catalogue);
    SearchRequest request;
    request.limit = limit;
    const std::vector<Ranked> expected = exhaustive_top_n(catalogue, scorer, request, resolve_filters(catalogue, filters));
    SQLite::Statement rows(db, "SELECT rank, id, head, body, arms, waist, legs, charm, defence, slots1, slots2, slots3, slots4, score FROM " +
                                   call + " ORDER BY rank");
    std::size_t at = 0;
    while (rows.executeStep()) {
        INFO(call << ", rank " << at + 1);
        REQUIRE(at < expected.size());
        CHECK(rows.getColumn(0).getInt64() == static_cast<std::int64_t>(at + 1));
        CHECK(rows.getColumn(1).getInt64() == static_cast<std::int64_t>(expected[at].key));
        const double score = rows.getColumn(13).getDouble();
        CHECK(std::memcmp(&score, &expected[at].score, sizeof score) == 0);
        const Positions positions = codec.decode(expected[at].key);
        const Totals totals = totals_of(catalogue, positions);
        for (Part part : kAllParts)
            CHECK(rows.getColumn(2 + static_cast<int>(index_of(part))).getString() == catalogue.pieces(part)[positions[index_of(part)]].name);
        CHECK(rows.getColumn(8).getInt64() == totals.defence);
        for (int l = 0; l < 4; ++l) CHECK(rows.getColumn(9 + l).getInt64() == totals.slots[static_cast<std::size_t>(l)]);
        ++at;
    }
    CHECK(at == expected.size());
}

using testing::error_of;

}  // namespace

TEST_CASE("best_sets gives the exact search's rows, with their pieces and totals", "[db][best_sets]") {
    BestSetsDatabase f;
    const std::string config = quoted(testing::kDbFixtureConfig);
    for (std::size_t limit : {1u, 5u, 40u, 216u, 300u})
        check_against_reference(f.database, "best_sets(" + config + ", " + std::to_string(limit) + ")", limit, {});
    // The config's own limit (5) when N is not given.
    check_against_reference(f.database, "best_sets(" + config + ")", 5, {});

    Filters filters;
    filters.requirements.push_back({"Attack Boost", 4});
    filters.requirements.push_back({"Critical Eye", 2});
    check_against_reference(f.database, "best_sets(" + config + ", 50, 'Attack Boost>=4; Critical Eye >= 2')", 50, filters);
    filters.min_defence = 410;
    check_against_reference(f.database, "best_sets(" + config + ", 50, 'Attack Boost>=4;Critical Eye>=2', 410)", 50, filters);
    Filters defence_only;
    defence_only.min_defence = 415;
    check_against_reference(f.database, "best_sets(" + config + ", 20, NULL, 415)", 20, defence_only);

    // A WHERE over the rows, and the hidden columns give the arguments back.
    CHECK(testing::query_int64(f.database, "SELECT count(*) FROM best_sets(" + config + ", 216) WHERE defence >= 415") ==
          testing::query_int64(f.database, "WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 215)"
                                           " SELECT count(*) FROM k WHERE defence(id) >= 415"));
    CHECK(testing::query_int64(f.database, "SELECT n FROM best_sets(" + config + ", 3) LIMIT 1") == 3);
}

TEST_CASE("best_sets: NULL in, no rows out; bad arguments are SQL errors", "[db][best_sets]") {
    BestSetsDatabase f;
    const std::string config = quoted(testing::kDbFixtureConfig);
    CHECK(testing::query_int64(f.database, "SELECT count(*) FROM best_sets(NULL, 3)") == 0);
    CHECK(testing::query_int64(f.database, "SELECT count(*) FROM best_sets(" + config + ", NULL)") == 0);
    CHECK(error_of(f.database, "SELECT * FROM best_sets") == "best_sets needs a config: SELECT * FROM best_sets('config.json', N)");
    CHECK(error_of(f.database, "SELECT * FROM best_sets(" + config + ", 0)") == "best_sets: n must be an integer from 1 to 100000000");
    CHECK(error_of(f.database, "SELECT * FROM best_sets(" + config + ", 2, 'Attack Boost')") ==
          "best_sets requirements: \"Attack Boost\": expected SKILL>=LEVEL, for example \"Attack Boost>=5\"");
    // A skill no piece has cannot be met: no rows, as `run` finds none.
    CHECK(testing::query_int64(f.database, "SELECT count(*) FROM best_sets(" + config + ", 2, 'Not A Skill>=1')") == 0);
    CHECK_THAT(error_of(f.database, "SELECT * FROM best_sets('/nonexistent/config.json', 2)"), Catch::Contains("/nonexistent/config.json"));
}

TEST_CASE("best_sets runs through the read-only guard, as mhwopt query runs it", "[db][best_sets]") {
    BestSetsDatabase f;
    db::ReadOnlyGuard guard(f.database, nullptr, std::nullopt);
    SQLite::Statement statement = guard.prepare("SELECT count(*) FROM best_sets(" + quoted(testing::kDbFixtureConfig) + ", 4)", "query");
    REQUIRE(guard.step(statement));
    CHECK(statement.getColumn(0).getInt64() == 4);
}

// The search runs inside one step, where SQLite's progress handler is never called: the guard's
// stop (Ctrl-C, --timeout) reaches it through the stop check, and the statement reports the stop.
TEST_CASE("best_sets stops when the guard says so, as Ctrl-C or --timeout in mhwopt query", "[db][best_sets]") {
    BestSetsDatabase f;
    std::atomic<bool> cancel{false};
    db::ReadOnlyGuard guard(f.database, &cancel, std::nullopt);
    f.functions.set_stop_check([&guard] { return guard.should_stop(); });
    const std::string sql = "SELECT count(*) FROM best_sets(" + quoted(testing::kDbFixtureConfig) + ", 4)";
    {
        SQLite::Statement statement = guard.prepare(sql, "query");
        REQUIRE(guard.step(statement));  // not asked to stop: the rows
        CHECK(statement.getColumn(0).getInt64() == 4);
    }
    cancel = true;
    SQLite::Statement statement = guard.prepare(sql, "query");
    bool stopped_by_user = false;
    try {
        guard.step(statement);
    } catch (const db::QueryStopped& stopped) {
        stopped_by_user = stopped.cancelled;
    }
    CHECK(stopped_by_user);
    f.functions.set_stop_check({});
}
