// CombinationLookup caches the armour's totals and score terms by prefix; whatever order rows come
// in and whichever scorers alternate, every answer must equal the uncached computation exactly.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <memory>
#include <random>

#include "core/scorer.hpp"
#include "db/extension/combination_lookup.hpp"

using namespace mhwopt;

namespace {

int roll(std::mt19937& rng, int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); }

// Pieces with overlapping skills (so charm and armour skills merge), repeated skills within a
// piece, level-0 skills, and charms that sometimes carry slots and defence.
Catalogue random_catalogue(std::mt19937& rng, int skill_count) {
    Catalogue catalogue;
    for (int s = 0; s < skill_count; ++s) catalogue.intern_skill("Skill " + std::to_string(s));
    for (Part part : kAllParts) {
        const int size = roll(rng, 1, 4);
        for (int i = 0; i < size; ++i) {
            Piece piece;
            piece.part = part;
            piece.name = std::string(part_name(part)) + " " + std::to_string(i);
            for (auto& slot : piece.slots) slot = roll(rng, 0, 3) == 0 ? roll(rng, 1, 2) : 0;
            piece.defence = roll(rng, 0, 40);
            const int skills = roll(rng, 0, 3);
            for (int k = 0; k < skills; ++k)
                piece.skills.push_back({static_cast<SkillId>(roll(rng, 0, skill_count - 1)), roll(rng, 0, 4)});
            catalogue.add_piece(piece);
        }
    }
    return catalogue;
}

std::shared_ptr<const Scorer> random_scorer(std::mt19937& rng, const Catalogue& catalogue) {
    Config config;
    std::uniform_real_distribution<double> weight(-2.0, 5.0);
    for (double& w : config.deco_weights) w = weight(rng);
    config.num_decos_weight = weight(rng);
    config.defence_weight = weight(rng) / 100.0;
    for (SkillId s = 0; s < catalogue.skill_count(); ++s)
        if (roll(rng, 0, 3) != 0) config.skills.emplace_back(catalogue.skill_name(s), SkillRule{static_cast<double>(roll(rng, 0, 5)), weight(rng), weight(rng)});
    return std::make_shared<const Scorer>(catalogue, config);
}

}  // namespace

TEST_CASE("the lookup's cached totals and scores equal the uncached ones in any row order", "[db][lookup]") {
    std::mt19937 rng(20261202);
    for (int round = 0; round < 200; ++round) {
        const Catalogue catalogue = random_catalogue(rng, roll(rng, 1, 6));
        const KeyCodec codec(catalogue);
        const std::shared_ptr<const Scorer> first = random_scorer(rng, catalogue);
        const std::shared_ptr<const Scorer> second = random_scorer(rng, catalogue);
        db::CombinationLookup lookup(catalogue);

        // Ascending ids (the cache's common case), then random ones.
        std::vector<std::int64_t> ids;
        for (std::uint64_t k = 0; k < codec.count(); ++k) ids.push_back(static_cast<std::int64_t>(k));
        for (int i = 0; i < 200; ++i) ids.push_back(roll(rng, 0, static_cast<int>(codec.count()) - 1));
        for (const std::int64_t id : ids) {
            INFO("round " << round << ", id " << id);
            const Totals expected = totals_of(catalogue, codec.decode(static_cast<CombinationKey>(id)));
            const bool use_second = roll(rng, 0, 4) == 0;
            const Scorer& scorer = use_second ? *second : *first;
            CHECK(lookup.score(use_second ? second : first, id) == scorer.score(expected));  // exact
            CHECK(lookup.defence(id) == expected.defence);
            const auto level = static_cast<std::size_t>(roll(rng, 0, 3));
            CHECK(lookup.slots(id, level) == expected.slots[level]);
            const auto skill = static_cast<SkillId>(roll(rng, 0, static_cast<int>(catalogue.skill_count()) - 1));
            int expected_level = 0;
            for (const SkillLevel& s : expected.skills)
                if (s.skill == skill) expected_level = s.level;
            CHECK(lookup.skill_level(id, skill) == expected_level);
            const Totals& got = lookup.totals(id);
            CHECK(got.defence == expected.defence);
            CHECK(got.skills.size() == expected.skills.size());
        }
        CHECK_THROWS_AS(lookup.score(first, static_cast<std::int64_t>(codec.count())), std::out_of_range);
        CHECK_THROWS_AS(lookup.defence(-1), std::out_of_range);
    }
}

TEST_CASE("the ranking's bounds never rule out a score at or above the cut", "[db][lookup]") {
    // below(scorer, id, cut) skips rows: were a bound ever under a score it would drop a set from a
    // ranking. Asking with the row's own score as the cut must say no, for every row, in ascending
    // order (the runs' fast paths) and at random (their slow ones), with scorers alternating.
    std::mt19937 rng(20261203);
    std::size_t ruled_out = 0, asked = 0;
    for (int round = 0; round < 300; ++round) {
        const Catalogue catalogue = random_catalogue(rng, roll(rng, 1, 6));
        const KeyCodec codec(catalogue);
        const std::shared_ptr<const Scorer> first = random_scorer(rng, catalogue);
        const std::shared_ptr<const Scorer> second = random_scorer(rng, catalogue);
        db::CombinationLookup lookup(catalogue);
        std::vector<std::int64_t> ids;
        for (std::uint64_t k = 0; k < codec.count(); ++k) ids.push_back(static_cast<std::int64_t>(k));
        for (int i = 0; i < 200; ++i) ids.push_back(roll(rng, 0, static_cast<int>(codec.count()) - 1));
        double best = -std::numeric_limits<double>::infinity();
        for (const std::int64_t id : ids) {
            INFO("round " << round << ", id " << id);
            const bool use_second = roll(rng, 0, 6) == 0;
            const auto& scorer = use_second ? second : first;
            const double score = scorer->score(totals_of(catalogue, codec.decode(static_cast<CombinationKey>(id))));
            // score() with either scorer in between, as a --where calling score(id, 'other.json') does.
            if (roll(rng, 0, 3) == 0) {
                const auto& other = roll(rng, 0, 1) ? first : second;
                CHECK(lookup.score(other, id) == other->score(totals_of(catalogue, codec.decode(static_cast<CombinationKey>(id)))));
            }
            CHECK_FALSE(lookup.below(scorer, id, score));
            if (!use_second) {
                // A cut above every score seen: the bounds should rule some rows out, or they do nothing.
                best = std::max(best, score);
                ruled_out += lookup.below(scorer, id, best + 1.0) ? 1 : 0;
                ++asked;
            }
        }
        CHECK_THROWS_AS(lookup.below(first, static_cast<std::int64_t>(codec.count()), 0.0), std::out_of_range);
    }
    CHECK(ruled_out > asked / 10);
}
