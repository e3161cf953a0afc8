// The original's score formula, term by term, on hand-made combinations.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/combination.hpp"
#include "core/scorer.hpp"
#include "io/equipment_reader.hpp"

using namespace mhwopt;

namespace {

Piece piece(Catalogue& catalogue, Part part, std::array<int, 4> slots, int defence,
            std::vector<std::pair<std::string, int>> skills) {
    Piece p;
    p.name = std::string(part_name(part)) + std::to_string(catalogue.pieces(part).size());
    p.part = part;
    p.slots = slots;
    p.defence = defence;
    for (const auto& [name, level] : skills) p.skills.push_back({catalogue.intern_skill(name), level});
    return p;
}

// One piece per part; the test decides their contents.
Catalogue one_each(const std::array<std::vector<std::pair<std::string, int>>, kPartCount>& skills,
                   const std::array<std::array<int, 4>, 5>& slots, const std::array<int, 5>& defence) {
    Catalogue catalogue;
    for (Part part : kAllParts) {
        const std::size_t i = index_of(part);
        if (part == Part::Charm) catalogue.add_piece(piece(catalogue, part, {}, 0, skills[i]));
        else catalogue.add_piece(piece(catalogue, part, slots[i], defence[i], skills[i]));
    }
    return catalogue;
}

Config config_with(std::vector<std::pair<std::string, SkillRule>> skills) {
    Config config;
    config.deco_weights = {1.5, 2.0, 2.5, 3.5};
    config.num_decos_weight = 2.0;
    config.defence_weight = 0.25;
    config.skills = std::move(skills);
    return config;
}

double score_of(const Catalogue& catalogue, const Config& config) {
    return Scorer(catalogue, config).score(totals_of(catalogue, Positions{}));
}

}  // namespace

TEST_CASE("the slot, decoration count and defence terms", "[scorer]") {
    const Catalogue catalogue = one_each({}, {{{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {1, 1, 0, 0}}},
                                         {10, 20, 30, 40, 50});
    const Totals totals = totals_of(catalogue, Positions{});
    CHECK(totals.slots == std::array<int, 4>{2, 3, 1, 1});
    CHECK(totals.defence == 150);
    // 2×1.5 + 3×2 + 1×2.5 + 1×3.5 + 7 slots × 2 + 150 × 0.25
    CHECK(score_of(catalogue, config_with({})) == 3.0 + 6.0 + 2.5 + 3.5 + 14.0 + 37.5);
}

TEST_CASE("skill levels are summed over all six pieces before the cap applies", "[scorer]") {
    const Catalogue catalogue =
        one_each({{{{"Attack Boost", 2}}, {{"Attack Boost", 2}}, {}, {}, {{"Attack Boost", 1}}, {{"Attack Boost", 3}}}}, {}, {});
    SECTION("at the cap: weight") {
        CHECK(score_of(catalogue, config_with({{"Attack Boost", {8, 3.0, -1.0}}})) == 8 * 3.0);
    }
    SECTION("above the cap: the penalty applies to every level") {
        CHECK(score_of(catalogue, config_with({{"Attack Boost", {7, 3.0, -1.0}}})) == 8 * -1.0);
    }
    SECTION("a fractional cap") {
        CHECK(score_of(catalogue, config_with({{"Attack Boost", {7.5, 3.0, 0.5}}})) == 8 * 0.5);
    }
}

TEST_CASE("a skill the config does not name weighs 1.0 with no cap", "[scorer]") {
    const Catalogue catalogue = one_each({{{{"Garbage", 40}}, {{"Garbage", 60}}, {{"Listed", 2}}, {}, {}, {}}}, {}, {});
    CHECK(score_of(catalogue, config_with({{"Listed", {1, 5.0, 0.25}}})) == 100.0 + 2 * 0.25);
}

TEST_CASE("config skills no piece has change nothing", "[scorer]") {
    const Catalogue catalogue = one_each({{{{"A", 1}}, {}, {}, {}, {}, {}}}, {}, {});
    CHECK(score_of(catalogue, config_with({{"Nobody Has This", {0, 100.0, 100.0}}})) == 1.0);
}

TEST_CASE("a level-0 skill adds nothing whatever its rule", "[scorer]") {
    const Catalogue catalogue = one_each({{{{"Zero", 0}}, {}, {}, {}, {}, {}}}, {}, {});
    CHECK(score_of(catalogue, config_with({{"Zero", {-1, 5.0, 7.0}}})) == 0.0);
}

TEST_CASE("negative weights lower the score", "[scorer]") {
    const Catalogue catalogue = one_each({{{{"Bad", 2}}, {}, {}, {}, {}, {{"Bad", 1}}}}, {}, {});
    CHECK(score_of(catalogue, config_with({{"Bad", {10, -0.75, 0}}})) == 3 * -0.75);
}

TEST_CASE("charms contribute skills only", "[scorer]") {
    const std::string csv =
        "header\n"
        "H,,,,,0,0,0,0,Head,10\nB,,,,,0,0,0,0,Body,10\nA,,,,,0,0,0,0,Arms,10\nW,,,,,0,0,0,0,Waist,10\n"
        "L,,,,,0,0,0,0,Legs,10\nC,Luck,2,,,3,3,3,3,Charm,500\n";
    std::istringstream in(csv);
    const Catalogue catalogue = read_equipment(in, "c.csv", [](const std::string&) {});
    const Totals totals = totals_of(catalogue, Positions{});
    CHECK(totals.slots == std::array<int, 4>{0, 0, 0, 0});
    CHECK(totals.defence == 50);
    CHECK(score_of(catalogue, config_with({})) == 50 * 0.25 + 2.0);
}

TEST_CASE("the score is the same double whatever the order pieces list skills in", "[scorer]") {
    const Catalogue a = one_each({{{{"X", 1}, {"Y", 2}}, {{"Z", 3}}, {}, {}, {}, {{"Y", 1}}}}, {}, {});
    const Catalogue b = one_each({{{{"Z", 3}}, {{"Y", 2}, {"X", 1}}, {}, {}, {}, {{"Y", 1}}}}, {}, {});
    const Config config = config_with({{"X", {5, 0.1, 0}}, {"Y", {5, 0.2, 0}}, {"Z", {5, 0.3, 0}}});
    CHECK(score_of(a, config) == Approx(0.1 + 3 * 0.2 + 3 * 0.3));
    CHECK(score_of(b, config) == Approx(score_of(a, config)));
}
