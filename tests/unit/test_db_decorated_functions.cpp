// decorated_score, placement and placed_skill: over the stored catalogue (set bonuses, a secret
// skill, maxima), the stored decorations (counts) and the weapon's slots, each equal to what
// placement_of gives on the catalogue and list run builds (so to run's Score, Decorations and skill
// columns), bit for bit; NULL in -> NULL out; bad arguments are SQL errors.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include "core/decorated_search.hpp"
#include "core/weapon_slots.hpp"
#include "db/extension/sql_functions.hpp"
#include "db_test_fixture.hpp"
#include "io/config_reader.hpp"
#include "io/decorated_results_writer.hpp"

using namespace mhwopt;
using testing::error_of;
using testing::query_int64;

namespace {

struct DecoratedDatabase {
    testing::GameFixture fixture = testing::game_fixture();
    db::Database database{":memory:", db::OpenMode::Create};
    db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
    DecoratedDatabase() {
        SQLite::Transaction transaction = db::begin_write(database);
        db::CatalogueStore(database).write(fixture.catalogue, "fixture", fixture.decorations);
        db::commit(transaction, database);
        database.exec("WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 215) INSERT INTO combination SELECT id FROM k");
    }
};

}  // namespace

TEST_CASE("decorated_score, placement and placed_skill equal placement_of on the catalogue run builds", "[db][functions][game]") {
    DecoratedDatabase d;
    const Catalogue& catalogue = d.fixture.catalogue;
    const Config config = read_config_text(testing::kDbFixtureConfig, "config", {});
    const Scorer scorer(catalogue, config);
    const ResolvedFilters filters = resolve_filters(catalogue, Filters{});
    const PlacementModel model(catalogue, scorer, d.fixture.decorations, filters.requirements);
    const KeyCodec codec(catalogue);
    int secret_active = 0, capped_low = 0, placed_any = 0, counted = 0;
    const SkillId attack = *catalogue.find_skill("Attack Boost"), secret = *catalogue.find_skill("Attack Secret");
    for (const char* slots : {"", "4,4,2", "1", "3,2,1", "4"}) {
        const DecoratedProblem problem{catalogue, model, *parse_weapon_slots_text(slots), filters};
        SQLite::Statement rows(d.database, "SELECT id, decorated_score(id, ?1, ?2), placement(id, ?1, ?2) FROM combination ORDER BY id");
        rows.bind(1, testing::kDbFixtureConfig);
        rows.bind(2, slots);
        SQLite::Statement skill(d.database, "SELECT placed_skill(?1, ?2, ?3, ?4)");
        skill.bind(3, testing::kDbFixtureConfig);
        skill.bind(4, slots);
        while (rows.executeStep()) {
            const std::int64_t id = rows.getColumn(0).getInt64();
            const Placement expected = placement_of(problem, codec.decode(static_cast<CombinationKey>(id)));
            INFO("slots '" << slots << "' id " << id);
            REQUIRE(rows.getColumn(1).getDouble() == expected.score);  // bit-identical, not approximately
            REQUIRE(rows.getColumn(2).getString() == placement_text(d.fixture.decorations, expected));
            std::vector<int> levels(catalogue.skill_count(), 0);
            for (const SkillLevel& s : expected.totals.skills) levels[s.skill] = s.level;
            for (SkillId s = 0; s < catalogue.skill_count(); ++s) {
                skill.bind(1, id);
                skill.bind(2, catalogue.skill_name(s));
                REQUIRE(skill.executeStep());
                REQUIRE(skill.getColumn(0).getInt() == levels[s]);
                skill.reset();
            }
            secret_active += levels[secret] == 1 && levels[attack] > 3;
            capped_low += levels[secret] == 0 && levels[attack] == 3;
            placed_any += !expected.decorations.empty();
            for (const auto& [index, count] : expected.decorations) {
                const std::optional<int> owned = d.fixture.decorations[index].count;
                REQUIRE((!owned || count <= *owned));
                counted += owned && count == *owned;  // the count binds
            }
        }
    }
    // The fixture exercises what it is for: the secret lifting the cap, the cap without it, placements, counts.
    CHECK(secret_active > 0);
    CHECK(capped_low > 0);
    CHECK(placed_any > 0);
    CHECK(counted > 0);
    CHECK(query_int64(d.database, "SELECT placed_skill(0, 'No Such Skill', '{}', '')") == 0);
}

TEST_CASE("the decorated functions return NULL for any NULL argument", "[db][functions][game]") {
    DecoratedDatabase d;
    for (const char* sql : {"SELECT decorated_score(NULL, '{}', '')", "SELECT decorated_score(0, NULL, '')", "SELECT decorated_score(0, '{}', NULL)",
                            "SELECT placement(NULL, '{}', '4')", "SELECT placement(0, NULL, '4')", "SELECT placement(0, '{}', NULL)",
                            "SELECT placed_skill(NULL, 'Attack Boost', '{}', '')", "SELECT placed_skill(0, NULL, '{}', '')",
                            "SELECT placed_skill(0, 'Attack Boost', NULL, '')", "SELECT placed_skill(0, 'Attack Boost', '{}', NULL)"}) {
        SQLite::Statement statement(d.database, sql);
        REQUIRE(statement.executeStep());
        CHECK(statement.getColumn(0).isNull());
    }
}

TEST_CASE("bad arguments to the decorated functions are SQL errors naming what was expected", "[db][functions][game]") {
    DecoratedDatabase d;
    CHECK(error_of(d.database, "SELECT decorated_score(0, '{}', '5')") ==
          "decorated_score(id, ..., WEAPON_SLOTS): found '5', expected L[,L[,L]], up to three slot levels from 1 to 4, for example 4,4,2, or '' for none");
    CHECK(error_of(d.database, "SELECT placement(0, '{}', '4,4,4,4')") ==
          "placement(id, ..., WEAPON_SLOTS): found '4,4,4,4', expected L[,L[,L]], up to three slot levels from 1 to 4, for example 4,4,2, or '' for none");
    CHECK(error_of(d.database, "SELECT placed_skill(0, 'Attack Boost', '{}', '4, 2')") ==
          "placed_skill(id, ..., WEAPON_SLOTS): found '4, 2', expected L[,L[,L]], up to three slot levels from 1 to 4, for example 4,4,2, or '' for none");
    CHECK(error_of(d.database, "SELECT decorated_score('x', '{}', '')") == "decorated_score(id, ...): id must be an integer combination id");
    CHECK_THAT(error_of(d.database, "SELECT placement(216, '{}', '')"), Catch::Contains("216"));
    CHECK_THAT(error_of(d.database, "SELECT decorated_score(0, '{\"defence\": }', '')"), Catch::Contains("score() config:1:"));
}
