#include "io/json.hpp"

#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include <fmt/format.h>

#include "core/error.hpp"

namespace mhwopt {

const char* json_kind_name(JsonValue::Kind kind) {
    switch (kind) {
        case JsonValue::Kind::Null: return "null";
        case JsonValue::Kind::Boolean: return "a boolean";
        case JsonValue::Kind::Number: return "a number";
        case JsonValue::Kind::String: return "a string";
        case JsonValue::Kind::Array: return "an array";
        case JsonValue::Kind::Object: return "an object";
    }
    return "a value";
}

namespace {

class Parser {
public:
    Parser(const std::string& text, const std::string& file_name) : text_(text), file_name_(file_name) {}

    JsonValue parse_document() {
        skip_space();
        if (at_end()) fail("found an empty file, expected a JSON object");
        JsonValue value = parse_value(0);
        skip_space();
        if (!at_end()) fail(fmt::format("found {} after the end of the JSON value, expected nothing more", describe_here()));
        return value;
    }

private:
    [[noreturn]] void fail(const std::string& message) const { throw DataError(file_name_, line_, column_, message); }
    [[noreturn]] void fail_at(int line, int column, const std::string& message) const {
        throw DataError(file_name_, line, column, message);
    }

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    void advance() {
        const char c = text_[pos_++];
        if (c == '\n') { ++line_; column_ = 1; }
        else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column_;
    }

    std::string describe_here() const {
        if (at_end()) return "the end of the file";
        const char c = peek();
        if (c == '\0') return "a NUL byte";
        if (static_cast<unsigned char>(c) < 0x20) return fmt::format("control character 0x{:02X}", c);
        if (static_cast<unsigned char>(c) >= 0x80) return "a non-ASCII character";
        return fmt::format("'{}'", c);
    }

    void skip_space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) advance();
    }

    JsonValue parse_value(int depth) {
        if (depth >= kMaxJsonDepth) fail(fmt::format("found nesting deeper than {} levels, expected a flat config", kMaxJsonDepth));
        JsonValue value;
        value.line = line_;
        value.column = column_;
        if (at_end()) fail("found the end of the file, expected a value");
        const char c = peek();
        if (c == '{') parse_object(value, depth);
        else if (c == '[') parse_array(value, depth);
        else if (c == '"') { value.kind = JsonValue::Kind::String; value.text = parse_string(); }
        else if (c == '-' || (c >= '0' && c <= '9')) parse_number(value);
        else if (match_word("true")) { value.kind = JsonValue::Kind::Boolean; value.boolean = true; }
        else if (match_word("false")) { value.kind = JsonValue::Kind::Boolean; value.boolean = false; }
        else if (match_word("null")) { value.kind = JsonValue::Kind::Null; }
        else fail(fmt::format("found {}, expected a value (object, array, string, number, true, false or null)", describe_here()));
        return value;
    }

    bool match_word(const char* word) {
        const std::size_t n = std::char_traits<char>::length(word);
        if (text_.compare(pos_, n, word) != 0) return false;
        for (std::size_t i = 0; i < n; ++i) advance();
        return true;
    }

    void parse_object(JsonValue& value, int depth) {
        value.kind = JsonValue::Kind::Object;
        advance();  // '{'
        std::unordered_map<std::string, int> first_line;
        skip_space();
        if (!at_end() && peek() == '}') { advance(); return; }
        for (;;) {
            skip_space();
            if (at_end() || peek() != '"') {
                fail(value.members.empty() ? fmt::format("found {}, expected a key in double quotes", describe_here())
                                           : fmt::format("found {} after ',', expected another key in double quotes (no trailing commas in JSON)", describe_here()));
            }
            const int key_line = line_, key_column = column_;
            std::string key = parse_string();
            auto [seen, inserted] = first_line.emplace(key, key_line);
            if (!inserted)
                fail_at(key_line, key_column, fmt::format("found key \"{}\" a second time (first on line {}), expected each key once", key, seen->second));
            skip_space();
            if (at_end() || peek() != ':') fail(fmt::format("found {}, expected ':' after the key", describe_here()));
            advance();
            skip_space();
            JsonValue member = parse_value(depth + 1);
            value.members.emplace_back(std::move(key), std::move(member));
            value.key_positions.emplace_back(key_line, key_column);
            skip_space();
            if (!at_end() && peek() == ',') { advance(); continue; }
            if (!at_end() && peek() == '}') { advance(); return; }
            fail(fmt::format("found {}, expected ',' or '}}'", describe_here()));
        }
    }

    void parse_array(JsonValue& value, int depth) {
        value.kind = JsonValue::Kind::Array;
        advance();  // '['
        skip_space();
        if (!at_end() && peek() == ']') { advance(); return; }
        for (;;) {
            skip_space();
            if (!at_end() && peek() == ']') fail("found ']' after ',', expected another value (no trailing commas in JSON)");
            value.items.push_back(parse_value(depth + 1));
            skip_space();
            if (!at_end() && peek() == ',') { advance(); continue; }
            if (!at_end() && peek() == ']') { advance(); return; }
            fail(fmt::format("found {}, expected ',' or ']'", describe_here()));
        }
    }

    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) out.push_back(static_cast<char>(cp));
        else if (cp < 0x800) { out.push_back(static_cast<char>(0xC0 | (cp >> 6))); out.push_back(static_cast<char>(0x80 | (cp & 0x3F))); }
        else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    unsigned parse_hex4() {
        unsigned cp = 0;
        for (int i = 0; i < 4; ++i) {
            if (at_end()) fail("found the end of the file, expected four hex digits after \\u");
            const char c = peek();
            unsigned digit;
            if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
            else fail(fmt::format("found {}, expected a hex digit in a \\u escape", describe_here()));
            cp = cp * 16 + digit;
            advance();
        }
        return cp;
    }

    std::string parse_string() {
        const int start_line = line_, start_column = column_;
        advance();  // opening quote
        std::string out;
        for (;;) {
            if (at_end()) fail_at(start_line, start_column, "found a string that is never closed, expected a closing '\"'");
            const char c = peek();
            if (c == '"') { advance(); return out; }
            if (static_cast<unsigned char>(c) < 0x20) fail(fmt::format("found {} inside a string, expected it escaped", describe_here()));
            if (c != '\\') { out.push_back(c); advance(); continue; }
            advance();
            if (at_end()) continue;
            const char e = peek();
            advance();
            switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case '/': out.push_back('/'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    unsigned cp = parse_hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF && text_.compare(pos_, 2, "\\u") == 0) {
                        advance(); advance();
                        const unsigned low = parse_hex4();
                        if (low >= 0xDC00 && low <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        else fail("found an unpaired surrogate in a \\u escape, expected a valid character");
                    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                        fail("found an unpaired surrogate in a \\u escape, expected a valid character");
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: fail(fmt::format("found escape '\\{}', expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u", e));
            }
        }
    }

    void parse_number(JsonValue& value) {
        const std::size_t start = pos_;
        auto digits = [&] {
            const std::size_t from = pos_;
            while (!at_end() && peek() >= '0' && peek() <= '9') advance();
            return pos_ - from;
        };
        if (peek() == '-') advance();
        if (!at_end() && peek() == '0') advance();
        else if (digits() == 0) fail(fmt::format("found {}, expected a digit", describe_here()));
        if (!at_end() && peek() == '.') {
            advance();
            if (digits() == 0) fail(fmt::format("found {}, expected a digit after the decimal point", describe_here()));
        }
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            advance();
            if (!at_end() && (peek() == '+' || peek() == '-')) advance();
            if (digits() == 0) fail(fmt::format("found {}, expected a digit in the exponent", describe_here()));
        }
        value.kind = JsonValue::Kind::Number;
        value.text = text_.substr(start, pos_ - start);
        value.number = std::strtod(value.text.c_str(), nullptr);
        if (!std::isfinite(value.number))
            fail_at(value.line, value.column, fmt::format("found {}, expected a number within double range (about ±1.8e308)", value.text));
    }

    const std::string& text_;
    const std::string& file_name_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int column_ = 1;
};

}  // namespace

JsonValue parse_json(const std::string& text, const std::string& file_name) {
    Parser parser(text, file_name);
    return parser.parse_document();
}

}  // namespace mhwopt
