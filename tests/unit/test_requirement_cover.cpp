// The requirement cover (core/requirement_cover.hpp) against a brute force that tries every
// decoration (or none) in every slot: whenever some placement meets the deficits, the cover says
// they can be met (it may only err that way). And it is not idle: it refutes deficits that each
// requirement alone could meet, which is what it is for.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "core/requirement_cover.hpp"

using namespace mhwopt;

namespace {

struct CoverCase {
    std::vector<Decoration> decorations;
    std::vector<ResolvedFilters::Requirement> requirements;
    std::array<int, kSlotLevels> slots{};
};

CoverCase random_cover_case(std::mt19937& rng, int skills) {
    CoverCase c;
    std::uniform_int_distribution<int> coin(0, 1), die(0, 5), small(0, 3), size(1, 4), skill(0, skills - 1);
    for (int d = 0, n = 1 + die(rng); d < n; ++d) {
        Decoration deco{"Jewel " + std::to_string(d), size(rng), {{static_cast<SkillId>(skill(rng)), 1 + coin(rng)}}, std::nullopt, 0};
        if (coin(rng)) deco.skills.push_back({static_cast<SkillId>(skill(rng)), 1});
        if (die(rng) == 0) deco.count = small(rng);
        c.decorations.push_back(deco);
    }
    for (int k = 1 + small(rng) % 3; k > 0; --k) {
        const int s = skill(rng);
        c.requirements.push_back({static_cast<SkillId>(s), "Skill " + std::to_string(s), 1 + small(rng)});
    }
    for (int k = small(rng) + small(rng); k > 0; --k) ++c.slots[size(rng) - 1];
    return c;
}

// Whether some placement (owned counts respected) meets every requirement, and whether each alone can.
void brute_force(const CoverCase& c, bool& together, std::vector<bool>& alone) {
    std::vector<int> slot_levels;
    for (int l = 0; l < static_cast<int>(kSlotLevels); ++l)
        for (int i = 0; i < c.slots[l]; ++i) slot_levels.push_back(l + 1);
    together = false;
    alone.assign(c.requirements.size(), false);
    std::vector<int> choice(slot_levels.size(), -1);
    const int options = static_cast<int>(c.decorations.size());
    for (;;) {
        std::map<int, int> placed;
        std::map<SkillId, int> levels;
        bool valid = true;
        for (std::size_t i = 0; i < slot_levels.size(); ++i) {
            if (choice[i] < 0) continue;
            const Decoration& deco = c.decorations[choice[i]];
            valid = valid && deco.size <= slot_levels[i] && (!deco.count || ++placed[choice[i]] <= *deco.count);
            for (const SkillLevel& s : deco.skills) levels[s.skill] += s.level;
        }
        if (valid) {
            bool all = true;
            for (std::size_t r = 0; r < c.requirements.size(); ++r) {
                const bool met = levels[*c.requirements[r].skill] >= c.requirements[r].min_level;
                alone[r] = alone[r] || met;
                all = all && met;
            }
            together = together || all;
        }
        std::size_t i = 0;
        while (i < choice.size() && ++choice[i] == options) choice[i++] = -1;
        if (i == choice.size()) break;
    }
}

}  // namespace

TEST_CASE("the requirement cover never refutes deficits some placement meets", "[placement][cover]") {
    std::mt19937 rng(19);
    int refuted = 0, refuted_together = 0, feasible = 0;
    for (int round = 0; round < 1500; ++round) {
        const CoverCase c = random_cover_case(rng, 2 + round % 3);
        const RequirementCover cover(c.requirements, c.decorations);
        std::vector<int> deficits;
        for (const auto& r : c.requirements) deficits.push_back(r.min_level);
        bool together = false;
        std::vector<bool> alone;
        brute_force(c, together, alone);
        const bool coverable = cover.coverable(deficits.data(), c.slots);
        INFO("round " << round);
        if (together) REQUIRE(coverable);
        feasible += together;
        refuted += !coverable;
        // Refuted although every requirement alone fits: only the requirements together show it.
        if (!coverable && std::all_of(alone.begin(), alone.end(), [](bool a) { return a; })) ++refuted_together;
        // With only the decorations up to a size, the same holds.
        for (int largest = 0; largest < static_cast<int>(kSlotLevels); ++largest) {
            CoverCase smaller = c;
            smaller.decorations.clear();
            for (const Decoration& d : c.decorations)
                if (d.size <= largest) smaller.decorations.push_back(d);
            brute_force(smaller, together, alone);
            if (together) REQUIRE(cover.coverable(deficits.data(), c.slots, largest));
        }
    }
    CHECK(feasible > 200);
    CHECK(refuted > 200);
    CHECK(refuted_together > 20);
}
