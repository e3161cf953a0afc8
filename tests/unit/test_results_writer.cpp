// The original's output CSV: the header rule (columns, order, capitalisation) and quoting.
#include <catch2/catch.hpp>

#include <sstream>

#include "io/results_writer.hpp"

using namespace mhwopt;

TEST_CASE("capitalize_words is str.capitalize on each space-separated word", "[writer]") {
    CHECK(capitalize_words("Wide-Range") == "Wide-range");
    CHECK(capitalize_words("wide-range") == "Wide-range");
    CHECK(capitalize_words("attack boost") == "Attack Boost");
    CHECK(capitalize_words("ATTACK BOOST") == "Attack Boost");
    CHECK(capitalize_words("free elem/ammo up") == "Free Elem/ammo Up");
    CHECK(capitalize_words("3RD eye") == "3rd Eye");
    CHECK(capitalize_words("  two  spaces ") == "  Two  Spaces ");
    CHECK(capitalize_words("Lvl 1 Decoration Slot") == "Lvl 1 Decoration Slot");
    CHECK(capitalize_words("") == "");
}

TEST_CASE("fields are quoted only when they hold a comma, quote or line break", "[writer]") {
    CHECK(csv_field("Plain Helm") == "Plain Helm");
    CHECK(csv_field("") == "");
    CHECK(csv_field("Kulu Helm, Beta") == "\"Kulu Helm, Beta\"");
    CHECK(csv_field("The \"Big\" Mail") == "\"The \"\"Big\"\" Mail\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("cr\rhere") == "\"cr\rhere\"");
    CHECK(csv_field("Glutton\xE2\x80\x99s Charm") == "Glutton\xE2\x80\x99s Charm");
    CHECK(csv_field(" padded ") == " padded ");
}

namespace {

Catalogue sample() {
    Catalogue c;
    auto add = [&](Part part, std::string name, std::array<int, 4> slots, int defence,
                   std::vector<std::pair<std::string, int>> skills) {
        Piece p;
        p.name = std::move(name);
        p.part = part;
        p.slots = slots;
        p.defence = defence;
        for (auto& [skill, level] : skills) p.skills.push_back({c.intern_skill(skill), level});
        c.add_piece(std::move(p));
    };
    add(Part::Head, "Helm, Beta", {1, 0, 0, 0}, 40, {{"wide-range", 1}, {"Attack Boost", 1}});
    add(Part::Head, "Unused Helm", {0, 0, 0, 0}, 1, {{"Never Written", 5}});
    add(Part::Body, "The \"Big\" Mail", {0, 1, 0, 0}, 42, {{"attack boost", 2}});
    add(Part::Arms, "Braces", {0, 0, 1, 0}, 44, {});
    add(Part::Waist, "Coil", {0, 0, 0, 1}, 46, {{"Garbage", 0}});
    add(Part::Legs, "Greaves", {2, 0, 0, 0}, 48, {{"Attack Boost", 2}});
    add(Part::Legs, "Boots", {0, 0, 0, 0}, 30, {{"Zeta", 1}});
    add(Part::Charm, "Charm", {0, 0, 0, 0}, 0, {{"\xC3\x81gil", 1}, {"Attack Boost", 3}});
    return c;
}

}  // namespace

TEST_CASE("skill columns: skills of the written rows only, in code-point order", "[writer]") {
    const Catalogue c = sample();
    const std::vector<Positions> rows = {{0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 0}};
    std::vector<std::string> names;
    for (SkillId id : output_skill_columns(c, rows)) names.push_back(c.skill_name(id));
    // Upper case before lower case, ASCII before the two-byte "Á"; "Never Written" is in no row;
    // a skill of level 0 ("Garbage") still occurs, as in the original.
    CHECK(names == std::vector<std::string>{"Attack Boost", "Garbage", "Zeta", "attack boost", "wide-range", "\xC3\x81gil"});
}

TEST_CASE("the whole file: header rule, totals, zeros for absent skills, quoting, LF", "[writer]") {
    const Catalogue c = sample();
    std::ostringstream out;
    std::size_t last_row = 0;
    write_results_csv(out, c, {{0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 0}}, [&](std::size_t n) { last_row = n; });
    // "attack boost" and "Attack Boost" are different skills that capitalise alike: two columns.
    CHECK(out.str() ==
          "Head,Body,Arms,Waist,Legs,Charm,Attack Boost,Garbage,Zeta,Attack Boost,Wide-range,\xC3\x81gil,"
          "Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence\n"
          "\"Helm, Beta\",\"The \"\"Big\"\" Mail\",Braces,Coil,Greaves,Charm,6,0,0,2,1,1,3,1,1,1,220\n"
          "\"Helm, Beta\",\"The \"\"Big\"\" Mail\",Braces,Coil,Boots,Charm,4,0,1,2,1,1,1,1,1,1,202\n");
    CHECK(last_row == 2);
}

TEST_CASE("no rows: the header has no skill columns", "[writer]") {
    std::ostringstream out;
    write_results_csv(out, sample(), {});
    CHECK(out.str() == "Head,Body,Arms,Waist,Legs,Charm,Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,"
                       "Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence\n");
}

TEST_CASE("levels of two digits or below zero, and rows given by index", "[writer]") {
    Catalogue c;
    for (Part part : kAllParts) {
        Piece p;
        p.name = std::string(part_name(part));
        p.part = part;
        p.skills.push_back({c.intern_skill("Big"), 2});
        p.skills.push_back({c.intern_skill("Odd"), part == Part::Charm ? -3 : 0});
        c.add_piece(p);
    }
    const std::vector<Positions> rows = {{0, 0, 0, 0, 0, 0}};
    std::ostringstream by_vector, by_index;
    write_results_csv(by_vector, c, rows);
    write_results_csv(by_index, c, RowSource(1, [](std::size_t) { return Positions{}; }));
    CHECK(by_vector.str() ==
          "Head,Body,Arms,Waist,Legs,Charm,Big,Odd,Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,"
          "Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence\n"
          "Head,Body,Arms,Waist,Legs,Charm,12,-3,0,0,0,0,0\n");
    CHECK(by_index.str() == by_vector.str());
}
