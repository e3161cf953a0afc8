#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "io/mhworld_reader.hpp"

using namespace mhwopt;

namespace {
const std::string kFixture = std::string(MHWOPT_SOURCE_DIR) + "/tests/fixtures/mhworld";

const Piece& piece_named(const Catalogue& catalogue, Part part, const std::string& name) {
    auto position = catalogue.find_piece(part, name);
    REQUIRE(position);
    return catalogue.pieces(part)[*position];
}
}  // namespace

TEST_CASE("mhworld data set: slot levels become counts, chest is Body, skills joined by name") {
    std::vector<std::string> warnings;
    const Catalogue catalogue = read_mhworld(kFixture, std::nullopt, [&](const std::string& w) { warnings.push_back(w); });
    CHECK(warnings.empty());
    CHECK(catalogue.pieces(Part::Head).size() == 3);
    CHECK(catalogue.pieces(Part::Body).size() == 2);
    CHECK(catalogue.pieces(Part::Charm).size() == 3);

    const Piece& helm = piece_named(catalogue, Part::Head, "Fancy Helm α+");
    CHECK(helm.slots == std::array<int, 4>{2, 0, 0, 1});  // slot levels 4, 1, 1
    CHECK(helm.defence == 154);
    REQUIRE(helm.skills.size() == 2);
    CHECK(catalogue.skill_name(helm.skills[0].skill) == "Attack Boost");
    CHECK(helm.skills[0].level == 2);

    const Piece& greaves = piece_named(catalogue, Part::Legs, "Fancy Greaves α+");
    CHECK(greaves.slots == std::array<int, 4>{0, 1, 0, 2});
    CHECK(piece_named(catalogue, Part::Body, "Test Mail").skills.empty());
    CHECK(piece_named(catalogue, Part::Head, "Comma, Helm β+").slots == std::array<int, 4>{1, 0, 0, 0});
    CHECK(piece_named(catalogue, Part::Charm, "Fair Wind Charm").skills.size() == 2);
}

TEST_CASE("mhworld data set: a rarity range keeps one tier, armour and charms alike") {
    const Catalogue catalogue = read_mhworld(kFixture + "/armors/armor_base.csv", RarityRange{12, 12}, {});
    for (Part part : kAllParts) CHECK(catalogue.pieces(part).size() == (part == Part::Charm ? 2u : 1u));
    CHECK(catalogue.pieces(Part::Head)[0].name == "Fancy Helm α+");
}

TEST_CASE("mhworld data set: a tier without some part is an error naming the part") {
    CHECK_THROWS_WITH(read_mhworld(kFixture, RarityRange{11, 11}, {}),
                      Catch::Contains("found no Body pieces of rarity 11-11"));
}

TEST_CASE("rarity ranges parse MIN or MIN-MAX and refuse anything else") {
    CHECK(parse_rarity_range("12").min == 12);
    CHECK(parse_rarity_range("12").max == 12);
    CHECK(parse_rarity_range("10-12").min == 10);
    CHECK(parse_rarity_range("10-12").max == 12);
    CHECK_THROWS_AS(parse_rarity_range("12-10"), UsageError);
    CHECK_THROWS_AS(parse_rarity_range("x"), UsageError);
    CHECK_THROWS_AS(parse_rarity_range("1-2-3"), UsageError);
}
