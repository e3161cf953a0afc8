// The equipment CSV reader: what it accepts (the original's format and the encodings and quoting
// real files come in) and, for each defect issue 2 lists, the exact message and position.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/csv_reader.hpp"
#include "io/equipment_reader.hpp"

using namespace mhwopt;

namespace {

const std::string kHeader =
    "Name,Skill 1 Name,Skill 1 Level,Skill 2 Name,Skill 2 Level,Slots Lvl 1,Slots Lvl 2,Slots Lvl 3,Slots Lvl 4,Body Part,Base Defence\n";

// One valid piece of each part, to which a test appends the rows it is about.
const std::string kMinimalRows =
    "Helm,Attack Boost,1,,,1,0,0,0,Head,40\n"
    "Mail,Critical Eye,2,,,0,1,0,0,Body,42\n"
    "Braces,,,,,0,0,1,0,Arms,44\n"
    "Coil,Health Boost,1,,,0,0,0,1,Waist,46\n"
    "Greaves,Attack Boost,1,Critical Eye,1,2,0,0,0,Legs,48\n"
    "Charm,Attack Boost,2,,,,,,,Charm,\n";

const std::string kCellsMessage =
    "expected 11: name, skill 1 name, skill 1 level, skill 2 name, skill 2 level, slots of level 1, 2, 3 and 4, "
    "body part, base defence";

struct Read {
    Catalogue catalogue;
    std::vector<std::string> warnings;
};

Read read(const std::string& text) {
    Read result;
    std::istringstream in(text);
    result.catalogue = read_equipment(in, "eq.csv", [&](const std::string& w) { result.warnings.push_back(w); });
    return result;
}

std::string error_of(const std::string& text) {
    try {
        read(text);
    } catch (const DataError& e) {
        return e.what();
    }
    return "(no error)";
}

const Piece& only_piece(const Catalogue& catalogue, Part part) {
    REQUIRE(catalogue.pieces(part).size() >= 1);
    return catalogue.pieces(part).back();
}

int level_of(const Catalogue& catalogue, const Piece& piece, const std::string& skill) {
    int total = 0;
    for (const SkillLevel& s : piece.skills)
        if (catalogue.skill_name(s.skill) == skill) total += s.level;
    return total;
}

}  // namespace

TEST_CASE("a minimal file is read by part, in file order, with its numbers", "[equipment]") {
    const Read r = read(kHeader + kMinimalRows);
    CHECK(r.warnings.empty());
    CHECK(r.catalogue.piece_count() == 6);
    const Piece& greaves = only_piece(r.catalogue, Part::Legs);
    CHECK(greaves.name == "Greaves");
    CHECK(greaves.slots == std::array<int, 4>{2, 0, 0, 0});
    CHECK(greaves.defence == 48);
    CHECK(greaves.source_line == 6);
    CHECK(level_of(r.catalogue, greaves, "Attack Boost") == 1);
    CHECK(level_of(r.catalogue, greaves, "Critical Eye") == 1);
    CHECK(r.catalogue.combination_count() == 1);
}

TEST_CASE("body part letter case is ignored", "[equipment]") {
    const Read r = read(kHeader + kMinimalRows + "Cap,,,,,0,0,0,0,HEAD,1\nHood,,,,,0,0,0,0,hEaD,1\n");
    CHECK(r.catalogue.pieces(Part::Head).size() == 3);
}

TEST_CASE("charms may leave slot and defence cells empty and add skills only", "[equipment]") {
    const Read r = read(kHeader + kMinimalRows);
    const Piece& charm = only_piece(r.catalogue, Part::Charm);
    CHECK(charm.slots == std::array<int, 4>{0, 0, 0, 0});
    CHECK(charm.defence == 0);
    CHECK(level_of(r.catalogue, charm, "Attack Boost") == 2);
}

TEST_CASE("a charm with slots or defence has them ignored, with a warning", "[equipment]") {
    const Read r = read(kHeader + kMinimalRows + "Odd Charm,Attack Boost,1,,,1,0,0,0,Charm,5\n");
    const Piece& charm = only_piece(r.catalogue, Part::Charm);
    CHECK(charm.slots == std::array<int, 4>{0, 0, 0, 0});
    CHECK(charm.defence == 0);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] ==
          "eq.csv:8:28: charm \"Odd Charm\" has slots or defence; charms add skills only, so they are not counted");
}

TEST_CASE("an empty skill 2 name means no second skill, whatever its level says", "[equipment]") {
    const Read r = read(kHeader + kMinimalRows + "Belt,Recovery Up,2,,7,0,0,0,0,Waist,40\nSash,Recovery Up,2,,x,0,0,0,0,Waist,40\n");
    const Piece& sash = only_piece(r.catalogue, Part::Waist);
    REQUIRE(sash.skills.size() == 1);
    CHECK(r.catalogue.skill_name(sash.skills[0].skill) == "Recovery Up");
    CHECK(sash.skills[0].level == 2);
}

TEST_CASE("a piece with no skill at all is accepted", "[equipment]") {
    const Read r = read(kHeader + kMinimalRows);
    CHECK(r.catalogue.pieces(Part::Arms).at(0).skills.empty());
}

TEST_CASE("a skill of level 0 is kept", "[equipment]") {
    const Read r = read(kHeader + kMinimalRows + "Junk,Garbage,0,,,0,0,0,0,Arms,0\n");
    const Piece& junk = only_piece(r.catalogue, Part::Arms);
    REQUIRE(junk.skills.size() == 1);
    CHECK(r.catalogue.skill_name(junk.skills[0].skill) == "Garbage");
    CHECK(junk.skills[0].level == 0);
}

TEST_CASE("RFC 4180 quoting: commas, doubled quotes and newlines inside a name", "[equipment]") {
    const Read r = read(kHeader + kMinimalRows +
                        "\"Kulu Helm, Beta\",,,,,0,0,0,0,Head,1\n"
                        "\"The \"\"Big\"\" Mail\",,,,,0,0,0,0,Body,1\n");
    CHECK(r.catalogue.pieces(Part::Head).back().name == "Kulu Helm, Beta");
    CHECK(r.catalogue.pieces(Part::Body).back().name == "The \"Big\" Mail");
}

TEST_CASE("doubled quotes count towards the field size limit (fuzz_csv_reader crash)", "[equipment]") {
    // Found by fuzzing: a field made of doubled quotes ("") grew past the limit unchecked.
    const std::size_t limit = CsvReader::kDefaultMaxFieldBytes;
    std::string quotes;
    for (std::size_t i = 0; i < limit; ++i) quotes += "\"\"";
    CHECK(read(kHeader + kMinimalRows + "\"" + quotes + "\",,,,,0,0,0,0,Head,1\n")
              .catalogue.pieces(Part::Head).back().name == std::string(limit, '"'));
    CHECK(error_of(kHeader + kMinimalRows + "\"" + quotes + "\"\"\",,,,,0,0,0,0,Head,1\n") ==
          fmt::format("eq.csv:8:1: found a field longer than {} bytes, expected at most {}", limit, limit));
}

TEST_CASE("line numbers stay right after a quoted field containing newlines", "[equipment]") {
    // The record on line 8 spans lines 8-10, so the bad row is on line 11.
    const std::string text = kHeader + kMinimalRows + "\"Two\nLine\nHelm\",,,,,0,0,0,0,Head,1\nBad,,,,,0,0,0,0,Hat,1\n";
    CHECK(error_of(text) == "eq.csv:11:17: Body Part: found \"Hat\", expected Head, Body, Arms, Waist, Legs or Charm");
    const Read r = read(kHeader + kMinimalRows + "\"Two\nLine\nHelm\",,,,,0,0,0,0,Head,1\nCap,,,,,0,0,0,0,Head,1\n");
    CHECK(r.catalogue.pieces(Part::Head).at(1).name == "Two\nLine\nHelm");
    CHECK(r.catalogue.pieces(Part::Head).at(1).source_line == 8);
    CHECK(r.catalogue.pieces(Part::Head).at(2).source_line == 11);
}

TEST_CASE("CRLF line endings read like LF, and line numbers count CRLF once", "[equipment]") {
    std::string crlf;
    for (char c : kHeader + kMinimalRows) {
        if (c == '\n') crlf += "\r\n";
        else crlf.push_back(c);
    }
    const Read r = read(crlf);
    CHECK(r.catalogue.piece_count() == 6);
    CHECK(only_piece(r.catalogue, Part::Charm).name == "Charm");
    CHECK(only_piece(r.catalogue, Part::Legs).defence == 48);
    CHECK(error_of(crlf + "X,,,,,0,0,0,0,Hat,1\r\n") ==
          "eq.csv:8:15: Body Part: found \"Hat\", expected Head, Body, Arms, Waist, Legs or Charm");
}

TEST_CASE("a UTF-8 BOM is skipped and moves no column", "[equipment]") {
    const Read r = read("\xEF\xBB\xBF" + kHeader + kMinimalRows);
    CHECK(r.warnings.empty());
    CHECK(r.catalogue.piece_count() == 6);
    CHECK(error_of("\xEF\xBB\xBF" + kHeader + "Helm,,,,,0,0,0,0,Hat,1\n") ==
          "eq.csv:2:18: Body Part: found \"Hat\", expected Head, Body, Arms, Waist, Legs or Charm");
}

TEST_CASE("a file that is not UTF-8 is read as Windows-1252 with a one-line warning", "[equipment]") {
    // 0x92 is a right single quote, 0xE9 an e with acute accent in Windows-1252.
    const Read r = read(kHeader + kMinimalRows + "Glutton\x92s Charm,Speed Eating,3,,,,,,,Charm,\nCaf\xE9 Cap,,,,,0,0,0,0,Head,1\n");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] == "eq.csv: not valid UTF-8 (first at line 8, column 8); reading it as Windows-1252");
    CHECK(r.catalogue.pieces(Part::Charm).back().name == "Glutton\xE2\x80\x99s Charm");
    CHECK(r.catalogue.pieces(Part::Head).back().name == "Caf\xC3\xA9 Cap");
    // Behind a BOM, the warning's column is still that of the character the user sees.
    const Read with_bom = read("\xEF\xBB\xBF" "N\xE9" + kHeader.substr(1) + kMinimalRows);
    REQUIRE(with_bom.warnings.size() == 1);
    CHECK(with_bom.warnings[0] == "eq.csv: not valid UTF-8 (first at line 1, column 2); reading it as Windows-1252");
}

TEST_CASE("a byte Windows-1252 leaves undefined is an error at its position", "[equipment]") {
    CHECK(error_of(kHeader + kMinimalRows + "Cap\x81,,,,,0,0,0,0,Head,1\n") ==
          "eq.csv:8:4: found byte 0x81, which Windows-1252 does not define, expected UTF-8 or Windows-1252 text");
}

TEST_CASE("every defect of issue 2 has its exact message and position", "[equipment]") {
    SECTION("too few cells: reported where the row ends") {
        CHECK(error_of(kHeader + kMinimalRows + "Helm,Attack Boost,1\n") == "eq.csv:8:20: found 3 cells, " + kCellsMessage);
    }
    SECTION("too many cells: reported at the first extra cell") {
        CHECK(error_of(kHeader + kMinimalRows + "Cap,,,,,0,0,0,0,Head,1,extra\n") == "eq.csv:8:24: found 12 cells, " + kCellsMessage);
    }
    SECTION("non-integer number") {
        CHECK(error_of(kHeader + kMinimalRows + "Cap,Attack Boost,two,,,0,0,0,0,Head,1\n") ==
              "eq.csv:8:18: Skill 1 Level: found \"two\", expected a whole number from 0 to 1000000");
        CHECK(error_of(kHeader + kMinimalRows + "Cap,,,,,1.5,0,0,0,Head,1\n") ==
              "eq.csv:8:9: Slots Lvl 1: found \"1.5\", expected a whole number from 0 to 1000000");
    }
    SECTION("negative number") {
        CHECK(error_of(kHeader + kMinimalRows + "Cap,,,,,0,0,0,0,Head,-5\n") ==
              "eq.csv:8:22: Base Defence: found \"-5\", expected a whole number from 0 to 1000000");
    }
    SECTION("empty number cell of an armour piece") {
        CHECK(error_of(kHeader + kMinimalRows + "Cap,,,,,0,,0,0,Head,1\n") ==
              "eq.csv:8:11: Slots Lvl 2: found an empty cell, expected a whole number from 0 to 1000000");
    }
    SECTION("a skill name without a level") {
        CHECK(error_of(kHeader + kMinimalRows + "Cap,Attack Boost,1,Critical Eye,,0,0,0,0,Head,1\n") ==
              "eq.csv:8:33: Skill 2 Level: found an empty cell, expected a whole number from 0 to 1000000");
    }
    SECTION("unknown body part") {
        CHECK(error_of(kHeader + kMinimalRows + "Cap,,,,,0,0,0,0,Hat,1\n") ==
              "eq.csv:8:17: Body Part: found \"Hat\", expected Head, Body, Arms, Waist, Legs or Charm");
    }
    SECTION("empty name") {
        CHECK(error_of(kHeader + kMinimalRows + " ,,,,,0,0,0,0,Head,1\n") ==
              "eq.csv:8:1: Name: found an empty cell, expected the piece's name");
    }
    SECTION("a part with no pieces") {
        std::string no_legs = kHeader + kMinimalRows;
        no_legs.erase(no_legs.find("Greaves"), no_legs.find("Charm,") - no_legs.find("Greaves"));
        CHECK(error_of(no_legs) ==
              "eq.csv:7:1: found no Legs pieces, expected at least one piece of every part (Head, Body, Arms, Waist, Legs, Charm)");
    }
    SECTION("the same name twice in one part names both lines") {
        CHECK(error_of(kHeader + kMinimalRows + "Cap,,,,,0,0,0,0,Head,1\nCap,,,,,0,0,0,0,head,2\n") ==
              "eq.csv:9:1: Name: found \"Cap\" a second time among the Head pieces (first on line 8), expected each name once a part");
    }
    SECTION("the same name in two parts is fine") {
        CHECK(error_of(kHeader + kMinimalRows + "Plain,,,,,0,0,0,0,Head,1\nPlain,,,,,0,0,0,0,Legs,1\n") == "(no error)");
    }
    SECTION("empty file") {
        CHECK(error_of("") == "eq.csv:1:1: found an empty file, expected a header row and then one piece a row");
    }
    SECTION("header only") {
        CHECK(error_of(kHeader) ==
              "eq.csv:2:1: found no Head pieces, expected at least one piece of every part (Head, Body, Arms, Waist, Legs, Charm)");
    }
    SECTION("NUL byte") {
        CHECK(error_of(kHeader + kMinimalRows + "Ca" + std::string(1, '\0') + "p,,,,,0,0,0,0,Head,1\n") ==
              "eq.csv:8:3: found a NUL byte, expected text");
    }
    SECTION("UTF-16 byte order mark") {
        CHECK(error_of("\xFF\xFE" "N\0a\0" + std::string(4, '\0')) ==
              "eq.csv:1:1: found a UTF-16 byte order mark, expected UTF-8 or Windows-1252 text");
    }
    SECTION("unterminated quote: reported where it opened") {
        CHECK(error_of(kHeader + kMinimalRows + "\"Cap,,,,,0,0,0,0,Head,1\nMore,,,,,0,0,0,0,Head,1\n") ==
              "eq.csv:8:1: found a quoted field that is never closed, expected a closing quote");
    }
    SECTION("text after a closing quote") {
        CHECK(error_of(kHeader + kMinimalRows + "\"Cap\"x,,,,,0,0,0,0,Head,1\n") ==
              "eq.csv:8:6: found text after a closing quote, expected a comma or the end of the line");
    }
    SECTION("a quote inside an unquoted field") {
        CHECK(error_of(kHeader + kMinimalRows + "Ca\"p,,,,,0,0,0,0,Head,1\n") ==
              "eq.csv:8:3: found a quote inside an unquoted field, expected the whole field in quotes");
    }
}
