// The placement solver against a brute force that tries every decoration (or none) in every slot:
// same best score (bit for bit: the weights are multiples of 0.25, so every sum is exact), and the
// placement it returns is one a player could make, meets the requirements and scores that much.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <random>

#include "core/placement.hpp"

using namespace mhwopt;

namespace {

struct Case {
    Catalogue catalogue;
    Config config;
    std::vector<Decoration> decorations;
    Totals raw;
    std::vector<ResolvedFilters::Requirement> requirements;
};

std::string skill_name(int s) { return "Skill " + std::to_string(s); }

Case random_case(std::mt19937& rng, int round) {
    Case c;
    const int skills = 2 + round % 4;
    for (int s = 0; s < skills; ++s) c.catalogue.intern_skill(skill_name(s));
    std::uniform_int_distribution<int> coin(0, 1), die(0, 5), quarter(-8, 16), small(0, 3);
    // Game maxima on some rounds; the last skill is then a secret raising skill 0's maximum.
    const bool game = round % 3 != 0;
    if (game) {
        const SkillId secret = c.catalogue.intern_skill("Secret");
        auto& limits = c.catalogue.game().limits;
        limits.assign(c.catalogue.skill_count(), std::nullopt);
        for (int s = 0; s < skills; ++s)
            if (die(rng) < 4) limits[s] = SkillLimit{1 + small(rng) + small(rng), 0, std::nullopt};
        limits[0] = SkillLimit{2 + small(rng), 1 + coin(rng), secret};
        limits[secret] = SkillLimit{1, 0, std::nullopt};
    }
    // Slot weights that are not increasing with level, negative ones, and penalties above and below.
    for (double& w : c.config.deco_weights) w = quarter(rng) * 0.25;
    c.config.num_decos_weight = quarter(rng) * 0.25;
    c.config.defence_weight = 0.5;
    for (int s = 0; s < skills; ++s)
        if (die(rng) < 4) c.config.skills.push_back({skill_name(s), SkillRule{static_cast<double>(small(rng) + small(rng)), quarter(rng) * 0.25, quarter(rng) * 0.25}});

    const int decorations = 1 + die(rng);
    std::uniform_int_distribution<int> size(1, 4), skill(0, skills - 1), level(1, 3);
    for (int d = 0; d < decorations; ++d) {
        Decoration deco;
        deco.name = "Jewel " + std::to_string(d);
        deco.size = size(rng);
        deco.skills.push_back({static_cast<SkillId>(skill(rng)), level(rng)});
        if (coin(rng)) deco.skills.push_back({static_cast<SkillId>(skill(rng)), 1});
        if (coin(rng)) deco.count = small(rng);
        c.decorations.push_back(deco);
    }
    if (round % 7 == 0 && !c.decorations.empty()) c.decorations.push_back(c.decorations.front());  // a duplicate

    std::uniform_int_distribution<int> slots(0, 5);
    int total = slots(rng);
    for (int i = 0; i < total; ++i) ++c.raw.slots[size(rng) - 1];
    c.raw.defence = die(rng) * 10;
    for (int s = 0; s < skills; ++s)
        if (coin(rng)) c.raw.skills.push_back({static_cast<SkillId>(s), small(rng)});
    if (game && coin(rng)) c.raw.skills.push_back({*c.catalogue.find_skill("Secret"), 1});
    const int requirements = die(rng) < 3 ? 0 : 1 + coin(rng);
    for (int r = 0; r < requirements; ++r) {
        const int s = skill(rng);
        c.requirements.push_back({static_cast<SkillId>(s), skill_name(s), 1 + small(rng) + small(rng)});
    }
    return c;
}

// The score of one placement, from the definition: levels summed, capped, scored in id order.
double score_of(const Case& c, const Scorer& scorer, const std::map<std::uint32_t, int>& placed,
                const std::array<int, kSlotLevels>& empty, bool* meets) {
    std::map<SkillId, int> levels;
    for (const SkillLevel& s : c.raw.skills) levels[s.skill] += s.level;
    for (const auto& [d, n] : placed)
        for (const SkillLevel& s : c.decorations[d].skills) levels[s.skill] += s.level * n;
    const GameData& game = c.catalogue.game();
    Totals totals;
    totals.slots = empty;
    totals.defence = c.raw.defence;
    for (auto [skill, level] : levels) {
        bool secret = false;
        if (game.has_limits() && game.limits[skill] && game.limits[skill]->secret) {
            // Secret skills come from the set's own skills (set bonuses), not from decorations.
            for (const SkillLevel& s : c.raw.skills) secret |= s.skill == *game.limits[skill]->secret && s.level >= 1;
        }
        const std::optional<int> cap = game.cap(skill, secret);
        totals.skills.push_back({skill, cap ? std::min(level, *cap) : level});
    }
    *meets = true;
    for (const auto& r : c.requirements) {
        int level = 0;
        for (const SkillLevel& s : totals.skills)
            if (s.skill == *r.skill) level = s.level;
        *meets = *meets && level >= r.min_level;
    }
    return scorer.score(totals);
}

double brute_force(const Case& c, const Scorer& scorer) {
    std::vector<int> slot_levels;
    for (int l = 0; l < static_cast<int>(kSlotLevels); ++l)
        for (int i = 0; i < c.raw.slots[l]; ++i) slot_levels.push_back(l + 1);
    double best = -std::numeric_limits<double>::infinity();
    std::vector<int> choice(slot_levels.size(), -1);  // -1: empty
    const int options = static_cast<int>(c.decorations.size());
    for (;;) {
        std::map<std::uint32_t, int> placed;
        std::array<int, kSlotLevels> empty{};
        bool valid = true;
        for (std::size_t i = 0; i < slot_levels.size(); ++i) {
            if (choice[i] < 0) { ++empty[slot_levels[i] - 1]; continue; }
            const Decoration& deco = c.decorations[choice[i]];
            valid = valid && deco.size <= slot_levels[i];
            const int n = ++placed[choice[i]];
            valid = valid && (!deco.count || n <= *deco.count);
        }
        bool meets = false;
        if (valid) {
            const double score = score_of(c, scorer, placed, empty, &meets);
            if (meets) best = std::max(best, score);
        }
        std::size_t i = 0;
        while (i < choice.size() && ++choice[i] == options) choice[i++] = -1;
        if (i == choice.size()) break;
    }
    return best;
}

// A player could make it: owned counts respected, and the filled slots (slots minus empty) can
// hold the decorations, largest first (the sets of slots each size fits are nested, so counting suffices).
void check_placement(const Case& c, const Scorer& scorer, const Placement& p) {
    std::map<std::uint32_t, int> placed;
    std::array<int, kSlotLevels + 1> by_size{};
    for (auto [d, n] : p.decorations) {
        REQUIRE(n > 0);
        const Decoration& deco = c.decorations[d];
        if (deco.count) REQUIRE(n <= *deco.count);
        placed[d] += n;
        by_size[deco.size] += n;
    }
    int decorations = 0, slots = 0;
    for (int size = static_cast<int>(kSlotLevels); size >= 1; --size) {
        REQUIRE(p.empty[size - 1] >= 0);
        REQUIRE(p.empty[size - 1] <= c.raw.slots[size - 1]);
        decorations += by_size[size];
        slots += c.raw.slots[size - 1] - p.empty[size - 1];
        REQUIRE(decorations <= slots);
    }
    REQUIRE(decorations == slots);
    bool meets = false;
    REQUIRE(score_of(c, scorer, placed, p.empty, &meets) == p.score);
    REQUIRE(meets);
}

}  // namespace

// Solves the case's placement and checks it against the brute force: the same feasibility, the same
// best score, a placement that holds; false when no placement meets the requirements.
static bool solves_as_brute_force(const Case& c, Placement& placement) {
    const Scorer scorer(c.catalogue, c.config);
    const PlacementModel model(c.catalogue, scorer, c.decorations, c.requirements);
    PlacementSolver solver(model);
    const double expected = brute_force(c, scorer);
    const bool found = solver.solve(c.raw, &placement);
    REQUIRE(found == (expected > -std::numeric_limits<double>::infinity()));
    if (!found) return false;
    REQUIRE(placement.score == expected);
    check_placement(c, scorer, placement);
    REQUIRE(solver.best_score(c.raw) == expected);  // the solver's scratch state was restored
    return true;
}

TEST_CASE("the placement solver finds the brute force's best score", "[placement]") {
    std::mt19937 rng(10);
    int feasible = 0, infeasible = 0, filled = 0;
    for (int round = 0; round < 600; ++round) {
        Case c = random_case(rng, round);
        INFO("round " << round);
        Placement placement;
        if (!solves_as_brute_force(c, placement)) { ++infeasible; continue; }
        ++feasible;
        filled += !placement.decorations.empty();
    }
    // The cases cover both outcomes and placements that use decorations.
    CHECK(feasible > 100);
    CHECK(infeasible > 20);
    CHECK(filled > 100);
}

// Issue 19: requirements that each fit the slots but compete for them. The solver sees them
// together (RequirementCover); its answers stay the brute force's.
TEST_CASE("several requirements competing for slots keep the brute force's best score", "[placement][cover]") {
    std::mt19937 rng(1919);
    std::uniform_int_distribution<int> small(0, 3);
    int feasible = 0, infeasible = 0;
    for (int round = 0; round < 400; ++round) {
        Case c = random_case(rng, round);
        c.requirements.clear();
        const int skills = 2 + round % 4;
        for (int s = 0; s < skills && c.requirements.size() < 4; ++s)
            if (small(rng) < 3) {
                int level = 0;
                for (const SkillLevel& k : c.raw.skills) level += k.skill == static_cast<SkillId>(s) ? k.level : 0;
                c.requirements.push_back({static_cast<SkillId>(s), skill_name(s), level + 1 + small(rng) % 3});
            }
        INFO("round " << round);
        Placement placement;
        if (!solves_as_brute_force(c, placement)) { ++infeasible; continue; }
        ++feasible;
    }
    CHECK(feasible > 40);
    CHECK(infeasible > 40);
}

TEST_CASE("a secret skill from the set raises the maximum that decorations can reach", "[placement]") {
    Case c;
    const SkillId agitator = c.catalogue.intern_skill("Agitator");
    const SkillId secret = c.catalogue.intern_skill("Agitator Secret");
    c.catalogue.game().limits = {SkillLimit{7, 2, secret}, SkillLimit{1, 0, std::nullopt}};
    c.config.skills.push_back({"Agitator", SkillRule{7, 10.0, 0.0}});
    c.config.deco_weights = {0, 0, 0, 0};
    c.config.num_decos_weight = -1;  // an empty slot costs, so the solver fills what it can
    c.decorations.push_back({"Challenger Jewel 2", 2, {{agitator, 1}}, std::nullopt, 0});
    c.raw.slots = {0, 4, 0, 0};
    c.raw.skills = {{agitator, 2}};
    auto level_of = [](const Placement& p, SkillId skill) {
        for (const SkillLevel& s : p.totals.skills)
            if (s.skill == skill) return s.level;
        return 0;
    };
    {
        const Scorer scorer(c.catalogue, c.config);
        const PlacementModel model(c.catalogue, scorer, c.decorations, c.requirements);
        PlacementSolver solver(model);
        Placement p;
        REQUIRE(solver.solve(c.raw, &p));
        CHECK(level_of(p, agitator) == 5);  // 2 + 4 jewels, capped at 7 - 2 without the secret
        CHECK(p.score == 50.0);
        c.requirements.push_back({agitator, "Agitator", 6});
        const PlacementModel required(c.catalogue, scorer, c.decorations, c.requirements);
        PlacementSolver infeasible(required);
        CHECK_FALSE(infeasible.solve(c.raw, &p));
    }
    c.raw.skills.push_back({secret, 1});
    const Scorer scorer(c.catalogue, c.config);
    const PlacementModel model(c.catalogue, scorer, c.decorations, c.requirements);
    PlacementSolver solver(model);
    Placement p;
    REQUIRE(solver.solve(c.raw, &p));
    CHECK(level_of(p, agitator) == 6);
    CHECK(p.score == 61.0);  // 6 × 10 + the secret skill's own level (unconfigured: weight 1)
    REQUIRE(p.decorations.size() == 1);
    CHECK(p.decorations[0].second == 4);
}

// The same with a catalogue whose pieces could hold every slot of the case, so that the solver's
// multiplier bound (which needs to know how many levels the slots can add) is in use.
TEST_CASE("the placement solver's multiplier bound keeps the brute force's best score", "[placement]") {
    std::mt19937 rng(77);
    int feasible = 0;
    for (int round = 0; round < 600; ++round) {
        Case c = random_case(rng, round);
        Piece roomy;
        roomy.name = "Roomy";
        roomy.part = Part::Head;
        roomy.slots = {1, 1, 1, 3};
        c.catalogue.add_piece(roomy);
        const Scorer scorer(c.catalogue, c.config);
        const PlacementModel model(c.catalogue, scorer, c.decorations, c.requirements);
        PlacementSolver solver(model);
        const double expected = brute_force(c, scorer);
        Placement placement;
        const bool found = solver.solve(c.raw, &placement);
        INFO("round " << round);
        REQUIRE(found == (expected > -std::numeric_limits<double>::infinity()));
        if (!found) continue;
        ++feasible;
        REQUIRE(placement.score == expected);
        check_placement(c, scorer, placement);
    }
    CHECK(feasible > 300);
}

namespace {

// The game's shape: a few weighted skills, each sold on decorations together with one of many
// unweighted "filler" skills (scored a point a level up to a small game maximum, some already on the
// set, one with a secret skill), filler-only decorations, a filler at level 2, some owned counts.
Case random_filler_case(std::mt19937& rng, int round) {
    Case c;
    std::uniform_int_distribution<int> coin(0, 1), die(0, 5), quarter(-4, 16), small(0, 3), size(1, 4);
    const int named = 1 + round % 3, fillers = 3 + round % 4;
    for (int s = 0; s < named; ++s) c.catalogue.intern_skill(skill_name(s));
    for (int f = 0; f < fillers; ++f) c.catalogue.intern_skill("Filler " + std::to_string(f));
    const bool game = round % 4 != 0;
    if (game) {
        const SkillId secret = c.catalogue.intern_skill("Filler Secret");
        auto& limits = c.catalogue.game().limits;
        limits.assign(c.catalogue.skill_count(), std::nullopt);
        for (int s = 0; s < named + fillers; ++s)
            if (die(rng) < 5) limits[s] = SkillLimit{1 + small(rng), 0, std::nullopt};
        limits[named] = SkillLimit{2 + small(rng), 1, secret};
        if (coin(rng)) c.raw.skills.push_back({secret, 1});
    }
    for (double& w : c.config.deco_weights) w = quarter(rng) * 0.25;
    c.config.num_decos_weight = quarter(rng) * 0.25;
    c.config.defence_weight = 0.5;
    for (int s = 0; s < named; ++s)
        c.config.skills.push_back({skill_name(s), SkillRule{static_cast<double>(1 + small(rng)), (4 + quarter(rng)) * 0.25, quarter(rng) * 0.25}});
    auto filler = [&] { return static_cast<SkillId>(named + std::uniform_int_distribution<int>(0, fillers - 1)(rng)); };
    const int decorations = 4 + die(rng);
    for (int d = 0; d < decorations; ++d) {
        Decoration deco;
        deco.name = "Jewel " + std::to_string(d);
        deco.size = size(rng);
        switch (die(rng)) {
            case 0: deco.skills = {{filler(), 1}}; break;                     // filler only
            case 1: deco.skills = {{filler(), 2}}; break;                     // a filler at level 2
            case 2: deco.skills = {{0, 1}, {static_cast<SkillId>(named - 1), 1}}; break;  // two weighted
            default: deco.skills = {{static_cast<SkillId>(die(rng) % named), 1 + coin(rng)}, {filler(), 1}};
        }
        if (die(rng) == 0) deco.count = small(rng);
        c.decorations.push_back(deco);
    }
    const int total = 1 + small(rng);
    for (int i = 0; i < total; ++i) ++c.raw.slots[size(rng) - 1];
    c.raw.defence = die(rng) * 10;
    for (int s = 0; s < named + fillers; ++s)
        if (coin(rng)) c.raw.skills.push_back({static_cast<SkillId>(s), small(rng)});
    std::sort(c.raw.skills.begin(), c.raw.skills.end(), [](const SkillLevel& a, const SkillLevel& b) { return a.skill < b.skill; });
    if (die(rng) < 2) {
        const int s = die(rng) % named;
        c.requirements.push_back({static_cast<SkillId>(s), skill_name(s), 1 + small(rng)});
    }
    return c;
}

}  // namespace

// Decorations that differ only in their filler are searched as one and their fillers matched
// afterwards; solves are cached; a floor lets a solve give up on sets below it. Each against the
// brute force, on one solver so the cache carries over between the calls.
TEST_CASE("filler skills, the solve cache and a score floor keep the brute force's best score", "[placement]") {
    std::mt19937 rng(2026);
    int feasible = 0, filled_with_fillers = 0;
    for (int round = 0; round < 400; ++round) {
        Case c = random_filler_case(rng, round);
        const Scorer scorer(c.catalogue, c.config);
        const PlacementModel model(c.catalogue, scorer, c.decorations, c.requirements);
        PlacementSolver solver(model);
        const double expected = brute_force(c, scorer);
        INFO("round " << round);
        const bool reachable = expected > -std::numeric_limits<double>::infinity();
        Placement placement;
        // A floor above the best first (the cache then knows only that much), then at the best.
        if (reachable) REQUIRE_FALSE(solver.solve(c.raw, &placement, expected + 0.25));
        REQUIRE(solver.solve(c.raw, &placement, reachable ? expected : 0.0) == reachable);
        if (!reachable) continue;
        ++feasible;
        REQUIRE(placement.score == expected);
        check_placement(c, scorer, placement);
        for (auto [d, n] : placement.decorations)
            for (const SkillLevel& s : c.decorations[d].skills) filled_with_fillers += s.skill >= c.config.skills.size();
        // No floor, and a lower one: the cached solve again.
        REQUIRE(solver.solve(c.raw, &placement));
        REQUIRE(placement.score == expected);
        REQUIRE(solver.best_score(c.raw, expected - 1.0) == expected);
        // Another set with the same slots and decoration skills (more defence): a cache hit, its own score.
        Case other = c;
        other.raw.defence += 10;
        REQUIRE(solver.best_score(other.raw) == brute_force(other, scorer));
    }
    CHECK(feasible > 200);
    CHECK(filled_with_fillers > 100);
}
