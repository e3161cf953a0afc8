#pragma once
// A small JSON reader that remembers where every value starts, rejects duplicate keys and
// numbers out of double range, and limits nesting (so hostile input cannot exhaust the stack).
// Hand-written rather than nlohmann-json because every message must carry a line and column.
#include <string>
#include <utility>
#include <vector>

namespace mhwopt {

struct JsonValue {
    enum class Kind { Null, Boolean, Number, String, Array, Object };
    Kind kind = Kind::Null;
    bool boolean = false;
    double number = 0.0;
    std::string text;  // a string's value, or a number's source text
    std::vector<JsonValue> items;
    std::vector<std::pair<std::string, JsonValue>> members;  // in source order
    std::vector<std::pair<int, int>> key_positions;           // line and column of each member's key
    int line = 0;
    int column = 0;
};

const char* json_kind_name(JsonValue::Kind kind);  // "a number", "an object", ...

constexpr int kMaxJsonDepth = 64;

// Throws DataError(file_name, line, column, ...) for anything that is not one valid JSON value.
JsonValue parse_json(const std::string& text, const std::string& file_name);

}  // namespace mhwopt
