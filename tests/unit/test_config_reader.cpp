// The JSON scoring config: the original's keys and defaults, and every rejection with its exact
// message, key path and position.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/config_reader.hpp"

using namespace mhwopt;

namespace {

struct Read {
    Config config;
    std::vector<std::string> warnings;
};

Read read(const std::string& text) {
    Read result;
    result.config = read_config_text(text, "cfg.json", [&](const std::string& w) { result.warnings.push_back(w); });
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

// "cfg.json:1:C: " for the first occurrence of `what` in one-line `text`, so that columns in the
// expectations are derived rather than counted by hand.
std::string at(const std::string& text, const std::string& what) {
    const auto pos = text.find(what);
    REQUIRE(pos != std::string::npos);
    return "cfg.json:1:" + std::to_string(pos + 1) + ": ";
}

// The same for the last occurrence (the limit is the last member of kComplete).
std::string at_last(const std::string& text, const std::string& what) {
    const auto pos = text.rfind(what);
    REQUIRE(pos != std::string::npos);
    return "cfg.json:1:" + std::to_string(pos + 1) + ": ";
}

std::string missing(const std::string& path) {
    return "cfg.json: Missing parameter '" + path + "' in config. Assuming a value of 1.0.";
}

const std::string kComplete =
    R"({"decorations": {"deco_1": 1.5, "deco_2": 2, "deco_3": 2.5, "deco_4": 3.5, "num_decos": 2},)"
    R"( "skills": {"Attack Boost": {"max": 7, "weight": 3, "penalty": 0.25}, "Handicraft": {"max": 5, "weight": -2.0, "penalty": -1}},)"
    R"( "defence": 0.012, "limit": 15})";

// A complete config with one member's value replaced, for the type and range checks.
std::string with(const std::string& key_and_old_value, const std::string& new_value) {
    std::string text = kComplete;
    const auto pos = text.find(key_and_old_value);
    REQUIRE(pos != std::string::npos);
    const auto colon = text.find(':', pos);
    text.replace(colon + 2, key_and_old_value.size() - (colon + 2 - pos), new_value);
    return text;
}

}  // namespace

TEST_CASE("a complete config is read exactly, skills in file order, without warnings", "[config]") {
    const Read r = read(kComplete);
    CHECK(r.warnings.empty());
    CHECK(r.config.deco_weights == std::array<double, 4>{1.5, 2.0, 2.5, 3.5});
    CHECK(r.config.num_decos_weight == 2.0);
    CHECK(r.config.defence_weight == 0.012);
    CHECK(r.config.limit == 15);
    REQUIRE(r.config.skills.size() == 2);
    CHECK(r.config.skills[0].first == "Attack Boost");
    CHECK(r.config.skills[0].second.max == 7.0);
    CHECK(r.config.skills[0].second.weight == 3.0);
    CHECK(r.config.skills[0].second.penalty == 0.25);
    CHECK(r.config.skills[1].first == "Handicraft");
    CHECK(r.config.skills[1].second.weight == -2.0);
    CHECK(r.config.skills[1].second.penalty == -1.0);
}

TEST_CASE("missing numbers are 1.0, each with the original's warning", "[config]") {
    const Read r = read(R"({"decorations": {"deco_2": 2}, "skills": {"A": {"max": 3}}})");
    CHECK(r.config.deco_weights == std::array<double, 4>{1.0, 2.0, 1.0, 1.0});
    CHECK(r.config.num_decos_weight == 1.0);
    CHECK(r.config.defence_weight == 1.0);
    CHECK(r.config.limit == 1);
    REQUIRE(r.config.skills.size() == 1);
    CHECK(r.config.skills[0].second.max == 3.0);
    CHECK(r.config.skills[0].second.weight == 1.0);
    CHECK(r.config.skills[0].second.penalty == 1.0);
    CHECK(r.warnings == std::vector<std::string>{
                            missing("decorations.deco_1"), missing("decorations.deco_3"), missing("decorations.deco_4"),
                            missing("decorations.num_decos"), missing("skills.A.weight"), missing("skills.A.penalty"),
                            missing("defence"), missing("limit")});
}

TEST_CASE("missing sections are warnings too", "[config]") {
    const Read r = read(R"({"defence": 2, "limit": 3})");
    CHECK(r.config.deco_weights == std::array<double, 4>{1.0, 1.0, 1.0, 1.0});
    CHECK(r.config.skills.empty());
    CHECK(r.warnings == std::vector<std::string>{
                            "cfg.json: Missing parameter 'decorations' in config. Assuming a value of 1.0 for each of its numbers.",
                            "cfg.json: Missing parameter 'skills' in config. Assuming no skill rules: every skill level counts 1.0."});
}

TEST_CASE("unknown keys are warnings naming the key path and position", "[config]") {
    const std::string text =
        R"({"decorations": {"deco_5": 1}, "skills": {"A": {"maximum": 2, "max": 1, "weight": 1, "penalty": 1}}, "defence": 1, "limit": 1, "limits": 9})";
    const Read r = read(text);
    CHECK(r.config.limit == 1);
    const std::vector<std::string> unknown = {at(text, "\"limits\"") + "unknown key 'limits' is ignored",
                                              at(text, "\"deco_5\"") + "unknown key 'decorations.deco_5' is ignored",
                                              at(text, "\"maximum\"") + "unknown key 'skills.A.maximum' is ignored"};
    for (const std::string& w : unknown) CHECK(std::find(r.warnings.begin(), r.warnings.end(), w) != r.warnings.end());
}

TEST_CASE("a UTF-8 BOM before the config is accepted", "[config]") {
    CHECK(read("\xEF\xBB\xBF" + kComplete).config.limit == 15);
}

TEST_CASE("wrong types name the key path", "[config]") {
    SECTION("a string for a number") {
        const std::string text = with(R"("defence": 0.012)", R"("high")");
        CHECK(error_of(text) == at(text, "\"high\"") + "defence: found a string, expected a number");
    }
    SECTION("a boolean for a decoration weight") {
        const std::string text = with(R"("deco_1": 1.5)", "true");
        CHECK(error_of(text) == at(text, "true") + "decorations.deco_1: found a boolean, expected a number");
    }
    SECTION("null for a skill's weight") {
        const std::string text = with(R"("weight": 3)", "null");
        CHECK(error_of(text) == at(text, "null") + "skills.Attack Boost.weight: found null, expected a number");
    }
    SECTION("an array for skills") {
        const std::string text = R"({"skills": [1, 2]})";
        CHECK(error_of(text) == at(text, "[") + "skills: found an array, expected an object");
    }
    SECTION("a number for a skill's rule") {
        const std::string text = R"({"skills": {"A": 3}})";
        CHECK(error_of(text) == at(text, "3") + "skills.A: found a number, expected an object");
    }
    SECTION("a string for decorations") {
        const std::string text = R"({"decorations": "none"})";
        CHECK(error_of(text) == at(text, "\"none\"") + "decorations: found a string, expected an object");
    }
    SECTION("not an object at the top") {
        CHECK(error_of("[1]") == "cfg.json:1:1: found an array, expected an object with decorations, skills, defence and limit");
    }
}

TEST_CASE("a limit must be a whole number from 1 to 100000000", "[config]") {
    const std::string expected = "expected a whole number from 1 to 100000000";
    for (const std::string bad : {"0", "-1", "1.5", "100000001", "0.5", "-0"}) {
        const std::string text = with(R"("limit": 15)", bad);
        CHECK(error_of(text) == at_last(text, bad) + "limit: found " + bad + ", " + expected);
    }
    {
        const std::string text = with(R"("limit": 15)", R"("x")");
        CHECK(error_of(text) == at(text, "\"x\"") + "limit: found a string, " + expected);
    }
    {
        const std::string text = with(R"("limit": 15)", "[1]");
        CHECK(error_of(text) == at(text, "[1]") + "limit: found an array, " + expected);
    }
    CHECK(read(with(R"("limit": 15)", "2.0")).config.limit == 2);
    CHECK(read(with(R"("limit": 15)", "1e3")).config.limit == 1000);
    CHECK(read(with(R"("limit": 15)", "100000000")).config.limit == 100000000);
}

TEST_CASE("a duplicate key is an error at its second occurrence", "[config]") {
    const std::string text = R"({"limit": 1, "defence": 2, "limit": 2})";
    CHECK(error_of(text) == "cfg.json:1:28: found key \"limit\" a second time (first on line 1), expected each key once");
    const std::string nested = "{\"skills\": {\n  \"A\": {\"max\": 1},\n  \"A\": {\"max\": 2}\n}}";
    CHECK(error_of(nested) == "cfg.json:3:3: found key \"A\" a second time (first on line 2), expected each key once");
}

TEST_CASE("syntax errors carry line and column", "[config]") {
    CHECK(error_of("{\n  \"limit\": 5\n  \"defence\": 1\n}") == "cfg.json:3:3: found '\"', expected ',' or '}'");
    CHECK(error_of("{\"limit\" 5}") == "cfg.json:1:10: found '5', expected ':' after the key");
    CHECK(error_of("{limit: 5}") == "cfg.json:1:2: found 'l', expected a key in double quotes");
    CHECK(error_of("{\"limit\": 5") == "cfg.json:1:12: found the end of the file, expected ',' or '}'");
    CHECK(error_of("{\"limit\": 5}}") == "cfg.json:1:13: found '}' after the end of the JSON value, expected nothing more");
    CHECK(error_of("{\"defence\": .5}") ==
          "cfg.json:1:13: found '.', expected a value (object, array, string, number, true, false or null)");
    CHECK(error_of("{\"defence\": 1.}") == "cfg.json:1:15: found '}', expected a digit after the decimal point");
    CHECK(error_of("{\"skills\": {\"A\nB\": {}}}") == "cfg.json:1:15: found control character 0x0A inside a string, expected it escaped");
    CHECK(error_of("{\"skills\": {\"AB: {}}}") == "cfg.json:1:13: found a string that is never closed, expected a closing '\"'");
    CHECK(error_of("") == "cfg.json:1:1: found an empty file, expected a JSON object");
    CHECK(error_of("  \n ") == "cfg.json:2:2: found an empty file, expected a JSON object");
}

TEST_CASE("trailing commas are rejected with a hint", "[config]") {
    CHECK(error_of("{\"limit\": 5,\n}") ==
          "cfg.json:2:1: found '}' after ',', expected another key in double quotes (no trailing commas in JSON)");
    CHECK(error_of("{\"x\": [1, 2,]}") == "cfg.json:1:13: found ']' after ',', expected another value (no trailing commas in JSON)");
}

TEST_CASE("numbers outside double range are errors, not infinities", "[config]") {
    for (const std::string bad : {"1e400", "-1e400", "1E+999"}) {
        const std::string text = with(R"("defence": 0.012)", bad);
        CHECK(error_of(text) == at(text, bad) + "found " + bad + ", expected a number within double range (about ±1.8e308)");
    }
    CHECK(read(with(R"("defence": 0.012)", "1e-400")).config.defence_weight == 0.0);  // underflow is harmless
}

TEST_CASE("nesting 100000 deep is refused at depth 64 without exhausting the stack", "[config]") {
    const std::string arrays = "{\"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    // The root object is level 0, so the 64th '[' (column 6 + 64) is the first one too deep.
    CHECK(error_of(arrays) == "cfg.json:1:70: found nesting deeper than 64 levels, expected a flat config");
    std::string objects;
    for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
    CHECK(error_of(objects) == "cfg.json:1:321: found nesting deeper than 64 levels, expected a flat config");
    CHECK(error_of(std::string(100000, '[')) == "cfg.json:1:65: found nesting deeper than 64 levels, expected a flat config");
}
