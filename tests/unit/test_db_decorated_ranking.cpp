// `score --decorations`'s ranking: mhwopt_top_n(id, N) on a connection set to a decorated model
// (set_current_placement) must give exactly the rows of a brute force that asks decorated_score for
// every id and sorts (score descending, then id), bit for bit, ties included, whatever order the rows
// come in and whether mhwopt_may_rank and a filter come first. On random small catalogues with set
// bonuses, secret skills, maxima, decorations with counts, weapon slots and non-monotone slot weights
// drawn from a few round values, so that many sets tie at the cut. The aggregate solves each row
// against its N-th best score as a floor: a floor that let a set scoring exactly the N-th best go
// (or any bound short of exact) loses the lower id of a tie that arrives late.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include <fmt/format.h>
#include <SQLiteCpp/Statement.h>

#include "core/weapon_slots.hpp"
#include "db/extension/sql_functions.hpp"
#include "db_test_fixture.hpp"
#include "random_game_world.hpp"
#include "io/config_reader.hpp"

using namespace mhwopt;
using testing::aggregated;
using testing::same_bits;

namespace {

struct RandomWorld {
    Catalogue catalogue;
    std::string config_json;
    std::vector<Decoration> decorations;
    std::string weapon;  // as --weapon-slots takes it
};

RandomWorld random_world(std::mt19937& rng, int round) {
    RandomWorld w;
    const int skills = 3 + round % 3;
    std::uniform_int_distribution<int> coin(0, 1), die(0, 5), small(0, 3), size(1, 4), skill(0, skills - 1), quarter(-4, 8);
    testing::add_random_game_pieces(rng, w.catalogue, skills, round % 2 == 0, testing::RandomPieces{2, 2, 8});
    w.decorations = testing::random_decorations(rng, skills);
    for (int k = die(rng) % 4; k > 0; --k) w.weapon += (w.weapon.empty() ? "" : ",") + std::to_string(size(rng));
    // Quarters add exactly, so equal sums are equal doubles: ties at the cut are common.
    auto q = [&] { return quarter(rng) * 0.25; };
    std::string rules;
    for (int s = 0; s < skills; ++s)
        if (die(rng) < 4)
            rules += fmt::format("{}\"Skill {}\": {{\"max\": {}, \"weight\": {}, \"penalty\": {}}}", rules.empty() ? "" : ", ", s,
                                 1 + small(rng), q(), q());
    w.config_json = fmt::format(R"({{"decorations": {{"deco_1": {}, "deco_2": {}, "deco_3": {}, "deco_4": {}, "num_decos": {}}},)"
                                R"( "skills": {{{}}}, "defence": 0.125, "limit": 1}})",
                                q(), q(), q(), q(), q(), rules);
    return w;
}

// decorated_score for every id passing `filter`, sorted as a ranking sorts.
std::vector<Ranked> brute_force(SQLite::Database& db, const std::string& config_json, const std::string& weapon, const std::string& filter) {
    SQLite::Statement statement(db, "SELECT id, decorated_score(id, ?1, ?2) FROM combination WHERE " + filter);
    statement.bind(1, config_json);
    statement.bind(2, weapon);
    std::vector<Ranked> rows;
    while (statement.executeStep())
        rows.push_back({statement.getColumn(1).getDouble(), static_cast<CombinationKey>(statement.getColumn(0).getInt64())});
    std::sort(rows.begin(), rows.end(), ranks_before);
    return rows;
}

}  // namespace

TEST_CASE("a decorated mhwopt_top_n ranks exactly as decorated_score for every id, sorted", "[db][top_n][decorations]") {
    std::mt19937 rng(20261203);
    int ties_at_cut = 0, placed_in_top = 0;
    for (int round = 0; round < 120; ++round) {
        const RandomWorld w = random_world(rng, round);
        db::Database database(":memory:", db::OpenMode::Create);
        db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
        {
            SQLite::Transaction transaction = db::begin_write(database);
            db::CatalogueStore(database).write(w.catalogue, "random", w.decorations);
            db::commit(transaction, database);
        }
        database.exec(fmt::format("WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < {}) "
                                  "INSERT INTO combination SELECT id FROM k",
                                  w.catalogue.combination_count() - 1));
        functions.set_current_placement(read_config_text(w.config_json, "config", {}), *parse_weapon_slots_text(w.weapon));
        for (const char* filter : {"1", "id % 3 <> 1", "defence(id) >= 40"}) {
            const std::vector<Ranked> all = brute_force(database, w.config_json, w.weapon, filter);
            for (std::size_t limit : {std::size_t{1}, std::size_t{3}, std::size_t{10}, std::size_t{1000}}) {
                INFO("round " << round << ", WHERE " << filter << ", N " << limit << ", weapon '" << w.weapon << "'");
                const std::vector<Ranked> expected(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(limit, all.size())));
                if (limit < all.size() && all[limit].score == all[limit - 1].score) ++ties_at_cut;
                const std::string n = std::to_string(limit), f = std::string("(") + filter + ")";
                CHECK(same_bits(aggregated(database, "SELECT mhwopt_top_n(id, " + n + ") FROM combination WHERE " + f), expected));
                // As `score --where` runs it: mhwopt_may_rank solves the row first, the step reuses that.
                CHECK(same_bits(aggregated(database, "SELECT mhwopt_top_n(id, " + n + ") FROM combination WHERE mhwopt_may_rank(id) AND " + f),
                                expected));
                // Rows in no particular order (ties arrive higher id first too), descending and shuffled.
                CHECK(same_bits(aggregated(database, "SELECT mhwopt_top_n(id, " + n + ") FROM (SELECT id FROM combination WHERE " + f +
                                                         " ORDER BY id DESC)"),
                                expected));
                CHECK(same_bits(aggregated(database, "SELECT mhwopt_top_n(id, " + n + ") FROM (SELECT id FROM combination ORDER BY random()) "
                                                         "WHERE mhwopt_may_rank(id) AND " + f),
                                expected));
            }
        }
        SQLite::Statement placed(database, "SELECT count(*) FROM combination WHERE placement(id, ?1, ?2) <> '' AND id < 100");
        placed.bind(1, w.config_json);
        placed.bind(2, w.weapon);
        REQUIRE(placed.executeStep());
        placed_in_top += placed.getColumn(0).getInt() > 0;
    }
    // The cases that matter happened: ties at the cut, and rankings where decorations were placed.
    CHECK(ties_at_cut > 50);
    CHECK(placed_in_top > 50);
}

TEST_CASE("set_current_config after set_current_placement ranks by the plain score again", "[db][top_n][decorations]") {
    testing::GameFixture fixture = testing::game_fixture();
    db::Database database(":memory:", db::OpenMode::Create);
    db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
    {
        SQLite::Transaction transaction = db::begin_write(database);
        db::CatalogueStore(database).write(fixture.catalogue, "fixture", fixture.decorations);
        db::commit(transaction, database);
    }
    database.exec("WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 215) INSERT INTO combination SELECT id FROM k");
    const Config config = read_config_text(testing::kDbFixtureConfig, "config", {});
    functions.set_current_placement(config, {4, 4, 2});
    std::vector<Ranked> expected = brute_force(database, testing::kDbFixtureConfig, "4,4,2", "1");
    expected.resize(5);
    CHECK(same_bits(aggregated(database, "SELECT mhwopt_top_n(id, 5) FROM combination"), expected));
    // Decorations change this ranking: the plain one below is another.
    CHECK_FALSE(same_bits(aggregated(database, "SELECT mhwopt_top_n(id, score(id), 5) FROM combination"), expected));
    functions.set_current_config(config);
    CHECK(database.execAndGet("SELECT mhwopt_top_n(id, 5) FROM combination").getString() ==
          database.execAndGet("SELECT mhwopt_top_n(id, score(id), 5) FROM combination").getString());
}
