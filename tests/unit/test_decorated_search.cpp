// The decorated branch and bound against the decorated exhaustive search (every set's placement
// solved) on random small catalogues with decorations, counts, weapon slots, set bonuses, maxima
// with secret skills, requirements and non-monotone slot weights: same keys, same doubles, same order.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "core/decorated_search.hpp"
#include "core/error.hpp"
#include "io/decorations_reader.hpp"
#include "random_game_world.hpp"

using namespace mhwopt;

namespace {

struct World {
    Catalogue catalogue;
    Config config;
    std::vector<Decoration> decorations;
    WeaponSlots weapon;
    Filters filters;
};

World random_world(std::mt19937& rng, int round, int most_pieces = 3) {
    World w;
    const int skills = 3 + round % 3;
    std::uniform_int_distribution<int> coin(0, 1), die(0, 5), quarter(-6, 14), small(0, 3), size(1, 4), skill(0, skills - 1);
    testing::add_random_game_pieces(rng, w.catalogue, skills, round % 2 == 0, testing::RandomPieces{1, most_pieces, 10});
    for (double& x : w.config.deco_weights) x = quarter(rng) * 0.25;
    w.config.num_decos_weight = quarter(rng) * 0.25;
    w.config.defence_weight = 0.125;
    for (int s = 0; s < skills; ++s)
        if (die(rng) < 4) w.config.skills.push_back({"Skill " + std::to_string(s), SkillRule{static_cast<double>(1 + small(rng)), quarter(rng) * 0.5, quarter(rng) * 0.25}});
    w.decorations = testing::random_decorations(rng, skills);
    for (int k = die(rng) % 4; k > 0; --k) w.weapon.push_back(size(rng));
    if (die(rng) < 2) w.filters.requirements.push_back({"Skill " + std::to_string(skill(rng)), 2 + small(rng)});
    if (die(rng) == 0) w.filters.min_defence = 60;
    return w;
}

// The branch and bound's rows are the exhaustive search's, key for key and bit for bit, and each
// row's placement is the one that scores it. Returns them.
std::vector<Ranked> require_equals_exhaustive(const DecoratedProblem& problem, const Catalogue& catalogue, std::size_t limit, unsigned threads) {
    SearchRequest request;
    request.limit = limit;
    request.threads = threads;
    const auto expected = decorated_exhaustive_top_n(problem, request);
    const auto got = decorated_branch_and_bound_top_n(problem, request);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        REQUIRE(got[i].key == expected[i].key);
        REQUIRE(got[i].score == expected[i].score);
    }
    const KeyCodec codec(catalogue);
    for (const Ranked& r : got) REQUIRE(placement_of(problem, codec.decode(r.key)).score == r.score);
    return got;
}

}  // namespace

TEST_CASE("the decorated branch and bound equals scoring every set's best placement", "[decorations]") {
    std::mt19937 rng(1010);
    int nonempty = 0;
    for (int round = 0; round < 300; ++round) {
        World w = random_world(rng, round);
        const Scorer scorer(w.catalogue, w.config);
        const ResolvedFilters filters = resolve_filters(w.catalogue, w.filters);
        const PlacementModel model(w.catalogue, scorer, w.decorations, filters.requirements);
        const DecoratedProblem problem{w.catalogue, model, w.weapon, filters};
        for (std::size_t limit : {std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
            INFO("round " << round << " limit " << limit);
            const auto got = require_equals_exhaustive(problem, w.catalogue, limit, 1 + round % 2);
            nonempty += !got.empty();
            if (got.empty() && !w.filters.empty()) {
                const DecoratedDiagnosis diagnosis = diagnose_decorated(problem);
                REQUIRE_FALSE(explain(diagnosis, filters).empty());
            }
        }
    }
    CHECK(nonempty > 300);
}

// Issue 19: two to four requirements that compete for the slots; the search prunes partial sets by
// all of them together (RequirementCover) and must still find the exhaustive search's rows.
TEST_CASE("the decorated branch and bound equals the exhaustive search under several requirements", "[decorations][cover]") {
    std::mt19937 rng(1919);
    std::uniform_int_distribution<int> small(0, 3);
    int nonempty = 0, empty = 0;
    for (int round = 0; round < 200; ++round) {
        World w = random_world(rng, round);
        const int skills = 3 + round % 3;
        w.filters.requirements.clear();
        for (int k = 2 + small(rng) % 3; k > 0; --k)
            w.filters.requirements.push_back({"Skill " + std::to_string(small(rng) % skills), 1 + small(rng)});
        if (round % 2 == 1) {
            // Defence only, with many ties: the search cuts subtrees that can only tie the N-th best
            // with larger keys; the exhaustive search decides ties by key the same way.
            w.config.skills.clear();
            for (SkillId s = 0; s < w.catalogue.skill_count(); ++s) w.config.skills.push_back({w.catalogue.skill_name(s), SkillRule{1.0, 0.0, 0.0}});
            for (double& x : w.config.deco_weights) x = 0.0;
            w.config.num_decos_weight = 0.0;
            w.config.defence_weight = 1.0 + small(rng);
        }
        const Scorer scorer(w.catalogue, w.config);
        const ResolvedFilters filters = resolve_filters(w.catalogue, w.filters);
        const PlacementModel model(w.catalogue, scorer, w.decorations, filters.requirements);
        const DecoratedProblem problem{w.catalogue, model, w.weapon, filters};
        for (std::size_t limit : {std::size_t{1}, std::size_t{7}}) {
            INFO("round " << round << " limit " << limit);
            const auto got = require_equals_exhaustive(problem, w.catalogue, limit, 1 + round % 2);
            nonempty += !got.empty();
            empty += got.empty();
        }
    }
    CHECK(nonempty > 60);
    CHECK(empty > 60);
}

TEST_CASE("set bonuses count once enough pieces are worn", "[decorations]") {
    Catalogue c;
    const SkillId guts = c.intern_skill("Guts");
    c.game().bonuses = {SetBonus{"Bazelgeuse Ambition", {{2, guts}}}};
    for (Part part : kAllParts) {
        for (int i = 0; i < 2; ++i) {
            Piece p;
            p.name = std::string(part_name(part)) + std::to_string(i);
            p.part = part;
            if (i == 1 && part != Part::Charm) p.set_bonus = 0;
            c.add_piece(std::move(p));
        }
    }
    Totals raw;
    raw_totals_of(c, {1, 0, 0, 0, 0, 0}, {}, raw);
    CHECK(raw.skills.empty());
    raw_totals_of(c, {1, 1, 0, 0, 0, 0}, {4, 2}, raw);
    REQUIRE(raw.skills.size() == 1);
    CHECK(raw.skills[0].level == 1);
    CHECK(raw.slots == std::array<int, kSlotLevels>{0, 1, 0, 1});
}

TEST_CASE("the decorations CSV: columns by position, Count by name, located errors", "[decorations]") {
    const std::string header = "Decoration,Size,Skill 1,Level,Skill 2,Level,Rarity,Count\n";
    Catalogue c;
    std::istringstream good(header + "Attack Jewel 1,1,Attack Boost,1,,,7,3\nDrain/Attack Jewel 4,4,Stamina Thief,1,Attack Boost,1,10,\n");
    const auto decos = read_decorations(good, "d.csv", c, {});
    REQUIRE(decos.size() == 2);
    CHECK(decos[0].count == 3);
    CHECK_FALSE(decos[1].count);
    CHECK(decos[1].skills.size() == 2);
    CHECK(decos[1].size == 4);
    auto error = [&](const std::string& rows) {
        std::istringstream in(header + rows);
        try {
            read_decorations(in, "d.csv", c, {});
        } catch (const DataError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error("Big Jewel,5,Attack Boost,1,,,7,\n") == "d.csv:2:11: Size: found \"5\", expected a whole number from 1 to 4");
    CHECK(error("Jewel,1,Attack Boost,1,,,7,-1\n") ==
          "d.csv:2:28: Count: found \"-1\", expected a whole number from 0 to 1000000, or an empty cell for unlimited");
    CHECK(error("Jewel,1,Attack Boost,1,,,7,1.5\n") ==
          "d.csv:2:28: Count: found \"1.5\", expected a whole number from 0 to 1000000, or an empty cell for unlimited");
    CHECK(error("Jewel,1,,1,,,7,\n") == "d.csv:2:9: Skill 1: found an empty cell, expected the decoration's skill");
    CHECK(error("Jewel,1,Attack Boost,,,,7,\n") == "d.csv:2:22: Level: found an empty cell, expected a whole number from 0 to 1000000");
    CHECK(error("Jewel,1,Attack Boost,1\n") == "d.csv:2:23: found 4 cells, expected 8 as in the header");
}

// Larger parts than the test above, so that pieces do get dropped as dominated (by slots that hold
// the other's decorations, defence, skills, bonuses) with small limits; the results must not change.
TEST_CASE("dominated pieces dropped by the decorated branch and bound never change the result", "[decorations]") {
    std::mt19937 rng(2020);
    int nonempty = 0;
    std::uint64_t dropped = 0;
    for (int round = 0; round < 120; ++round) {
        World w = random_world(rng, round, 5);
        const Scorer scorer(w.catalogue, w.config);
        const ResolvedFilters filters = resolve_filters(w.catalogue, w.filters);
        const PlacementModel model(w.catalogue, scorer, w.decorations, filters.requirements);
        const DecoratedProblem problem{w.catalogue, model, w.weapon, filters};
        for (std::size_t limit : {std::size_t{1}, std::size_t{2}, std::size_t{4}}) {
            SearchRequest request;
            request.limit = limit;
            request.threads = 1;
            const auto expected = decorated_exhaustive_top_n(problem, request);
            SearchStats stats;
            const auto got = decorated_branch_and_bound_top_n(problem, request, &stats);
            for (std::size_t n : stats.removed_by_dominance) dropped += n;
            INFO("round " << round << " limit " << limit);
            REQUIRE(got.size() == expected.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                REQUIRE(got[i].key == expected[i].key);
                REQUIRE(got[i].score == expected[i].score);
            }
            nonempty += !got.empty();
        }
    }
    CHECK(nonempty > 150);
    CHECK(dropped > 100);  // the rule was exercised
}

// The game's shape: most decorations pair a weighted skill with one of several unweighted fillers
// (scored a point a level up to a small maximum), which the solver searches as one decoration and
// matches afterwards, and the search passes each solve its current N-th best as a floor.
TEST_CASE("the decorated branch and bound equals the exhaustive search when decorations differ only in fillers", "[decorations]") {
    std::mt19937 rng(4242);
    std::uniform_int_distribution<int> coin(0, 1), size(1, 4);
    int nonempty = 0;
    for (int round = 0; round < 150; ++round) {
        World w = random_world(rng, round);
        std::vector<SkillId> fillers;
        for (int f = 0; f < 4; ++f) fillers.push_back(w.catalogue.intern_skill("Filler " + std::to_string(f)));
        auto& limits = w.catalogue.game().limits;
        if (!limits.empty()) {
            limits.resize(w.catalogue.skill_count());
            for (std::size_t f = 0; f < fillers.size(); ++f) limits[fillers[f]] = SkillLimit{1 + static_cast<int>(f % 2), 0, std::nullopt};
        }
        const std::vector<Decoration> plain = w.decorations;
        for (const Decoration& d : plain)
            for (SkillId f : fillers)
                if (coin(rng)) w.decorations.push_back({d.name + "/" + std::to_string(f), d.size, {d.skills.front(), {f, 1}}, std::nullopt, 0});
        w.decorations.push_back({"Filler jewel", size(rng), {{fillers[0], 1}}, std::nullopt, 0});
        const Scorer scorer(w.catalogue, w.config);
        const ResolvedFilters filters = resolve_filters(w.catalogue, w.filters);
        const PlacementModel model(w.catalogue, scorer, w.decorations, filters.requirements);
        const DecoratedProblem problem{w.catalogue, model, w.weapon, filters};
        for (std::size_t limit : {std::size_t{1}, std::size_t{7}}) {
            INFO("round " << round << " limit " << limit);
            nonempty += !require_equals_exhaustive(problem, w.catalogue, limit, 1 + round % 2).empty();
        }
    }
    CHECK(nonempty > 150);
}
