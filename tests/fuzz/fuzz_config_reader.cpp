// parse_json and read_config_text over arbitrary bytes. Properties: each returns a value or throws
// DataError, nothing else; every error and every value is located at line >= 1, column >= 1;
// nesting never exceeds kMaxJsonDepth (deeper input is an error, not a stack overflow); a JSON
// value written out and parsed again is the same value; and so is a config.
#include <cstddef>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "fuzz_check.hpp"
#include "io/config_reader.hpp"
#include "io/json.hpp"

namespace {

using namespace mhwopt;

std::string quote(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') { out += '\\'; out += c; }
        else if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else out += c;  // other bytes pass through as they are, valid UTF-8 or not, as the parser does
    }
    return out + '"';
}

// Written in the most unusual legal layout the parser must still accept: tabs, CRLF, no spaces.
std::string write_json(const JsonValue& value) {
    switch (value.kind) {
        case JsonValue::Kind::Null: return "null";
        case JsonValue::Kind::Boolean: return value.boolean ? "true" : "false";
        case JsonValue::Kind::Number: return value.text;
        case JsonValue::Kind::String: return quote(value.text);
        case JsonValue::Kind::Array: {
            std::string out = "[";
            for (std::size_t i = 0; i < value.items.size(); ++i) out += (i ? ",\t" : "") + write_json(value.items[i]);
            return out + "]";
        }
        case JsonValue::Kind::Object: {
            std::string out = "{\r\n";
            for (std::size_t i = 0; i < value.members.size(); ++i)
                out += (i ? ",\r\n" : "") + quote(value.members[i].first) + ":" + write_json(value.members[i].second);
            return out + "}";
        }
    }
    return "";
}

// Everything but positions; numbers by source text, which determines the value.
std::string describe(const JsonValue& value) {
    std::string out = fmt::format("{}:{}:{}:{}", static_cast<int>(value.kind), value.boolean, value.text.size(), value.text);
    for (const JsonValue& item : value.items) out += "[" + describe(item) + "]";
    for (const auto& [key, member] : value.members) out += fmt::format("{{{}:{}={}}}", key.size(), key, describe(member));
    return out;
}

int check_tree(const JsonValue& value) {
    FUZZ_CHECK(value.line >= 1 && value.column >= 1, "a value is located");
    FUZZ_CHECK(value.key_positions.size() == value.members.size(), "every key is located");
    for (const auto& [line, column] : value.key_positions) FUZZ_CHECK(line >= 1 && column >= 1, "a key is located");
    int depth = 0;
    for (const JsonValue& item : value.items) depth = std::max(depth, check_tree(item));
    for (const auto& member : value.members) depth = std::max(depth, check_tree(member.second));
    return depth + 1;
}

std::string write_config(const Config& config) {
    auto number = [](double value) { return fmt::format("{:.17g}", value); };
    std::string out = "{\"decorations\": {";
    for (std::size_t l = 0; l < config.deco_weights.size(); ++l)
        out += fmt::format("\"deco_{}\": {}, ", l + 1, number(config.deco_weights[l]));
    out += fmt::format("\"num_decos\": {}}}, \"skills\": {{", number(config.num_decos_weight));
    for (std::size_t i = 0; i < config.skills.size(); ++i) {
        const auto& [name, rule] = config.skills[i];
        out += fmt::format("{}{}: {{\"max\": {}, \"weight\": {}, \"penalty\": {}}}", i ? ", " : "", quote(name),
                           number(rule.max), number(rule.weight), number(rule.penalty));
    }
    return out + fmt::format("}}, \"defence\": {}, \"limit\": {}}}\n", number(config.defence_weight), config.limit);
}

std::string describe(const Config& config) {
    std::string out = fmt::format("{} {} {} {} | {} | {} | {}", config.deco_weights[0], config.deco_weights[1],
                                  config.deco_weights[2], config.deco_weights[3], config.num_decos_weight,
                                  config.defence_weight, config.limit);
    for (const auto& [name, rule] : config.skills) out += fmt::format(" | [{}] {} {} {}", name, rule.max, rule.weight, rule.penalty);
    return out;
}

void check_json(const std::string& bytes) {
    JsonValue first;
    try {
        first = parse_json(bytes, "fuzz.json");
    } catch (const DataError& error) {
        fuzz::check_located(error);
        return;
    }
    FUZZ_CHECK(check_tree(first) <= kMaxJsonDepth, "the nesting limit holds");
    const std::string written = write_json(first);
    JsonValue second;
    try {
        second = parse_json(written, "fuzz.json");
    } catch (const DataError& error) {
        FUZZ_CHECK(false, std::string("written JSON does not parse: ") + error.what() + "\n" + written);
    }
    FUZZ_CHECK(describe(second) == describe(first), "parse, write, parse gives the same JSON value:\n" + written);
}

void check_config(const std::string& bytes) {
    Config first;
    try {
        first = read_config_text(bytes, "fuzz.json", [](const std::string& message) {
            FUZZ_CHECK(message.rfind("fuzz.json:", 0) == 0, "a warning starts with the file's name: " + message);
        });
    } catch (const DataError& error) {
        fuzz::check_located(error);
        return;
    }
    FUZZ_CHECK(first.limit >= 1 && first.limit <= kMaxLimit, "the limit is in range");
    const std::string written = write_config(first);
    Config second;
    try {
        second = read_config_text(written, "fuzz.json", [&](const std::string& message) {
            FUZZ_CHECK(false, "a complete config draws no warning: " + message + "\n" + written);
        });
    } catch (const DataError& error) {
        FUZZ_CHECK(false, std::string("the written config does not parse: ") + error.what() + "\n" + written);
    }
    FUZZ_CHECK(describe(second) == describe(first), "parse, write, parse gives the same config:\n" + written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    check_json(bytes);
    check_config(bytes);
    return 0;
}
