// Issue 5's table of bad input files: each one, written to a real file and read through the same
// entry points the CLI uses, must fail with exactly `FILE:LINE:COLUMN: message`.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/config_reader.hpp"
#include "io/equipment_reader.hpp"

using namespace mhwopt;
namespace fs = std::filesystem;

namespace {

const std::string kHeader =
    "Name,Skill 1 Name,Skill 1 Level,Skill 2 Name,Skill 2 Level,Slots Lvl 1,Slots Lvl 2,Slots Lvl 3,Slots Lvl 4,Body Part,Base Defence\n";
const std::string kRows =  // lines 2-7
    "Helm,Attack Boost,1,,,1,0,0,0,Head,40\n"
    "Mail,Critical Eye,2,,,0,1,0,0,Body,42\n"
    "Braces,,,,,0,0,1,0,Arms,44\n"
    "Coil,Health Boost,1,,,0,0,0,1,Waist,46\n"
    "Greaves,Attack Boost,1,Critical Eye,1,2,0,0,0,Legs,48\n"
    "Charm,Attack Boost,2,,,,,,,Charm,\n";
const std::string kCells =
    " cells, expected 11: name, skill 1 name, skill 1 level, skill 2 name, skill 2 level, slots of level 1, 2, 3 and 4, "
    "body part, base defence";
const std::string kWhole = "expected a whole number from 0 to 1000000";
const std::string kParts = "expected at least one piece of every part (Head, Body, Arms, Waist, Legs, Charm)";
const std::string kLimit = "expected a whole number from 1 to 100000000";

struct BadFile {
    std::string name;     // .csv: equipment, .json: config
    std::string content;
    std::string located;  // "LINE:COLUMN: message", the path is prepended
};

std::string nested(int depth) {
    return "{\"limit\": " + std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']') + "}";
}

std::vector<BadFile> bad_files() {
    const std::string h = kHeader + kRows;  // a valid file; rows appended from line 8 on
    return {
        // CSV structure
        {"too_few_cells.csv", h + "Cap,Attack Boost,1\n", "8:19: found 3" + kCells},
        {"too_few_cells_last_line_unterminated.csv", h + "Cap,Attack Boost", "8:17: found 2" + kCells},
        {"too_many_cells.csv", h + "Cap,,,,,0,0,0,0,Head,1,extra\n", "8:24: found 12" + kCells},
        {"many_many_cells.csv", h + "Cap" + std::string(500, ',') + "\n", "8:15: found 501" + kCells},
        {"unterminated_quote.csv", h + "\"Cap,,,,,0,0,0,0,Head,1\nMore,,,,,0,0,0,0,Head,1\n",
         "8:1: found a quoted field that is never closed, expected a closing quote"},
        {"unterminated_quote_later_cell.csv", h + "Cap,\"Attack Boost,1,,,0,0,0,0,Head,1\n",
         "8:5: found a quoted field that is never closed, expected a closing quote"},
        {"text_after_closing_quote.csv", h + "\"Cap\" x,,,,,0,0,0,0,Head,1\n",
         "8:6: found text after a closing quote, expected a comma or the end of the line"},
        {"quote_in_unquoted_field.csv", h + "Cap 5\",,,,,0,0,0,0,Head,1\n",
         "8:6: found a quote inside an unquoted field, expected the whole field in quotes"},
        // numbers
        {"non_integer.csv", h + "Cap,Attack Boost,two,,,0,0,0,0,Head,1\n", "8:18: Skill 1 Level: found \"two\", " + kWhole},
        {"decimal.csv", h + "Cap,,,,,1.5,0,0,0,Head,1\n", "8:9: Slots Lvl 1: found \"1.5\", " + kWhole},
        {"negative.csv", h + "Cap,,,,,0,0,0,0,Head,-5\n", "8:22: Base Defence: found \"-5\", " + kWhole},
        {"plus_sign.csv", h + "Cap,,,,,0,0,+1,0,Head,1\n", "8:13: Slots Lvl 3: found \"+1\", " + kWhole},
        {"overflow.csv", h + "Cap,,,,,0,0,0,0,Head,99999999999999999999999\n",
         "8:22: Base Defence: found \"99999999999999999999999\", " + kWhole},
        {"just_above_limit.csv", h + "Cap,Attack Boost,1000001,,,0,0,0,0,Head,1\n",
         "8:18: Skill 1 Level: found \"1000001\", " + kWhole},
        {"nan.csv", h + "Cap,,,,,0,0,0,NaN,Head,1\n", "8:15: Slots Lvl 4: found \"NaN\", " + kWhole},
        {"infinity.csv", h + "Cap,A,1,B,inf,0,0,0,0,Head,1\n", "8:11: Skill 2 Level: found \"inf\", " + kWhole},
        {"empty_number.csv", h + "Cap,,,,,0,,0,0,Head,1\n", "8:11: Slots Lvl 2: found an empty cell, " + kWhole},
        {"skill_without_level.csv", h + "Cap,Attack Boost,,,,0,0,0,0,Head,1\n",
         "8:18: Skill 1 Level: found an empty cell, " + kWhole},
        // pieces and parts
        {"unknown_body_part.csv", h + "Cap,,,,,0,0,0,0,Hat,1\n",
         "8:17: Body Part: found \"Hat\", expected Head, Body, Arms, Waist, Legs or Charm"},
        {"empty_body_part.csv", h + "Cap,,,,,0,0,0,0,,1\n",
         "8:17: Body Part: found \"\", expected Head, Body, Arms, Waist, Legs or Charm"},
        {"empty_name.csv", h + ",,,,,0,0,0,0,Head,1\n", "8:1: Name: found an empty cell, expected the piece's name"},
        {"part_with_no_pieces.csv", kHeader + kRows.substr(0, kRows.find("Charm,")), "7:1: found no Charm pieces, " + kParts},
        {"duplicate_piece.csv", h + "Cap,,,,,0,0,0,0,Head,1\n\"Cap\",,,,,0,0,0,0,HEAD,2\n",
         "9:1: Name: found \"Cap\" a second time among the Head pieces (first on line 8), expected each name once a part"},
        {"duplicate_of_first_piece.csv", h + "Helm,,,,,0,0,0,0,Head,1\n",
         "8:1: Name: found \"Helm\" a second time among the Head pieces (first on line 2), expected each name once a part"},
        // whole-file defects
        {"empty.csv", "", "1:1: found an empty file, expected a header row and then one piece a row"},
        {"header_only.csv", kHeader, "2:1: found no Head pieces, " + kParts},
        {"header_only_no_newline.csv", kHeader.substr(0, kHeader.size() - 1), "1:1: found no Head pieces, " + kParts},
        {"blank_lines_only.csv", kHeader + "\n\n\n", "5:1: found no Head pieces, " + kParts},
        {"utf16le_bom.csv", std::string("\xFF\xFE" "N\0a\0m\0e\0", 10),
         "1:1: found a UTF-16 byte order mark, expected UTF-8 or Windows-1252 text"},
        {"utf16be_bom.csv", std::string("\xFE\xFF\0N\0a", 6),
         "1:1: found a UTF-16 byte order mark, expected UTF-8 or Windows-1252 text"},
        {"nul_byte.csv", h + "Cap,Attack" + std::string(1, '\0') + "Boost,1,,,0,0,0,0,Head,1\n", "8:11: found a NUL byte, expected text"},
        {"undefined_windows1252_byte.csv", h + "Cap \x8D,,,,,0,0,0,0,Head,1\n",
         "8:5: found byte 0x8D, which Windows-1252 does not define, expected UTF-8 or Windows-1252 text"},
        // JSON
        {"syntax_missing_comma.json", "{\n  \"limit\": 5\n  \"defence\": 1\n}", "3:3: found '\"', expected ',' or '}'"},
        {"syntax_missing_colon.json", "{\"limit\" 5}", "1:10: found '5', expected ':' after the key"},
        {"syntax_unquoted_key.json", "{\n\tlimit: 5}", "2:2: found 'l', expected a key in double quotes"},
        {"syntax_unclosed.json", "{\"limit\": 5", "1:12: found the end of the file, expected ',' or '}'"},
        {"syntax_unclosed_string.json", "{\"skills\": {\"Attack Boost: {}}}", "1:13: found a string that is never closed, expected a closing '\"'"},
        {"syntax_single_quotes.json", "{'limit': 5}", "1:2: found ''', expected a key in double quotes"},
        {"trailing_comma.json", "{\"limit\": 5,\n}", "2:1: found '}' after ',', expected another key in double quotes (no trailing commas in JSON)"},
        {"trailing_comma_array.json", "{\"x\": [1, 2,]}", "1:13: found ']' after ',', expected another value (no trailing commas in JSON)"},
        {"duplicate_key.json", "{\"limit\": 1,\n \"defence\": 2,\n \"limit\": 2}",
         "3:2: found key \"limit\" a second time (first on line 1), expected each key once"},
        {"wrong_type_defence.json", "{\"defence\": \"high\"}", "1:13: defence: found a string, expected a number"},
        {"wrong_type_deco.json", "{\"decorations\": {\"deco_3\": [3]}}", "1:28: decorations.deco_3: found an array, expected a number"},
        {"wrong_type_skill_rule.json", "{\"skills\": {\"Attack Boost\": 3}}", "1:29: skills.Attack Boost: found a number, expected an object"},
        {"wrong_type_skills.json", "{\"skills\": true}", "1:12: skills: found a boolean, expected an object"},
        {"wrong_type_root.json", "[]", "1:1: found an array, expected an object with decorations, skills, defence and limit"},
        {"limit_zero.json", "{\"limit\": 0}", "1:11: limit: found 0, " + kLimit},
        {"limit_negative.json", "{\"limit\": -1}", "1:11: limit: found -1, " + kLimit},
        {"limit_fraction.json", "{\"limit\": 1.5}", "1:11: limit: found 1.5, " + kLimit},
        {"limit_string.json", "{\"limit\": \"10\"}", "1:11: limit: found a string, " + kLimit},
        {"limit_too_large.json", "{\"limit\": 1e9}", "1:11: limit: found 1e9, " + kLimit},
        {"number_1e400.json", "{\"defence\": 1e400}", "1:13: found 1e400, expected a number within double range (about ±1.8e308)"},
        {"nesting_100000.json", nested(100000), "1:74: found nesting deeper than 64 levels, expected a flat config"},
        {"empty.json", "", "1:1: found an empty file, expected a JSON object"},
    };
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::random_device rd;
        path = fs::temp_directory_path() / ("mhwopt_bad_inputs_" + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    std::string write(const std::string& name, const std::string& content) const {
        const fs::path file = path / name;
        std::ofstream out(file, std::ios::binary);
        out << content;
        return file.string();
    }
};

const WarningSink kIgnore = [](const std::string&) {};

std::string error_reading(const std::string& path) {
    try {
        if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) read_config_file(path, kIgnore);
        else read_equipment_file(path, kIgnore);
    } catch (const DataError& e) {
        // Every error points at a real position.
        CHECK(e.line() >= 1);
        CHECK(e.column() >= 1);
        CHECK(e.file() == path);
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("each bad file fails with its exact FILE:LINE:COLUMN message", "[bad_inputs]") {
    const TempDir dir;
    const std::vector<BadFile> table = bad_files();
    REQUIRE(table.size() >= 30);
    for (const BadFile& bad : table) {
        const std::string path = dir.write(bad.name, bad.content);
        INFO(bad.name);
        CHECK(error_reading(path) == path + ":" + bad.located);
    }
}

TEST_CASE("a 100 MB field is refused at its line after reading at most its size limit", "[bad_inputs]") {
    const TempDir dir;
    const std::string path = dir.path / "huge_field.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << kHeader << kRows << "Cap,\"";
        const std::string chunk(1 << 20, 'x');
        for (int i = 0; i < 100; ++i) out << chunk;
        out << "\",1,,,0,0,0,0,Head,1\n";
    }
    CHECK(error_reading(path) == path + ":8:5: found a field longer than 65536 bytes, expected at most 65536");
}

TEST_CASE("positive control: quoted commas and newlines import, later lines are numbered right", "[bad_inputs]") {
    const TempDir dir;
    const std::string good = kHeader + kRows +
                             "\"Kulu Helm, Beta\",\"Critical\nEye\",1,,,0,0,0,0,Head,1\n"  // lines 8-9
                             "\"Two\r\nLine \"\"Mail\"\"\",,,,,0,0,0,0,Body,1\n";          // lines 10-11
    const std::string path = dir.write("good.csv", good);
    const Catalogue catalogue = read_equipment_file(path, kIgnore);
    CHECK(catalogue.piece_count() == 8);
    CHECK(catalogue.pieces(Part::Head).back().name == "Kulu Helm, Beta");
    CHECK(catalogue.skill_name(catalogue.pieces(Part::Head).back().skills.at(0).skill) == "Critical\nEye");
    // The reader ends lines at CR, LF or CRLF alike, inside quotes too: a name's line break is LF.
    CHECK(catalogue.pieces(Part::Body).back().name == "Two\nLine \"Mail\"");
    CHECK(catalogue.pieces(Part::Body).back().source_line == 10);

    const std::string bad_path = dir.write("good_then_bad.csv", good + "Late,,,,,0,0,0,0,Hat,1\n");
    CHECK(error_reading(bad_path) ==
          bad_path + ":12:18: Body Part: found \"Hat\", expected Head, Body, Arms, Waist, Legs or Charm");

    std::vector<std::string> warnings;
    const std::string config_path = dir.write("unknown_key.json", "{\"decorations\": {},\n \"skills\": {}, \"defence\": 1, \"limit\": 3,\n \"limt\": 4}");
    const Config config = read_config_file(config_path, [&](const std::string& w) { warnings.push_back(w); });
    CHECK(config.limit == 3);
    CHECK(std::find(warnings.begin(), warnings.end(), config_path + ":3:2: unknown key 'limt' is ignored") != warnings.end());
}
