#include "io/config_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "io/json.hpp"
#include "io/text_input.hpp"

namespace mhwopt {

namespace {

class ConfigBuilder {
public:
    ConfigBuilder(const std::string& source_name, const WarningSink& warn) : source_(source_name), warn_(warn) {}

    Config build(const JsonValue& root) {
        Config config;
        if (root.kind != JsonValue::Kind::Object)
            fail(root, "", fmt::format("found {}, expected an object with decorations, skills, defence and limit", json_kind_name(root.kind)));
        warn_unknown(root, "", {"decorations", "skills", "defence", "limit"});

        if (const JsonValue* decorations = member(root, "decorations")) {
            expect_object(*decorations, "decorations");
            warn_unknown(*decorations, "decorations.", {"deco_1", "deco_2", "deco_3", "deco_4", "num_decos"});
            for (int l = 0; l < 4; ++l)
                config.deco_weights[l] = number(*decorations, "decorations.", fmt::format("deco_{}", l + 1));
            config.num_decos_weight = number(*decorations, "decorations.", "num_decos");
        } else {
            missing("decorations", "Assuming a value of 1.0 for each of its numbers.");
        }

        if (const JsonValue* skills = member(root, "skills")) {
            expect_object(*skills, "skills");
            for (std::size_t i = 0; i < skills->members.size(); ++i) {
                const auto& [name, rule_json] = skills->members[i];
                const std::string path = "skills." + name;
                expect_object(rule_json, path);
                warn_unknown(rule_json, path + ".", {"max", "weight", "penalty"});
                SkillRule rule;
                rule.max = number(rule_json, path + ".", "max");
                rule.weight = number(rule_json, path + ".", "weight");
                rule.penalty = number(rule_json, path + ".", "penalty");
                config.skills.emplace_back(name, rule);
            }
        } else {
            missing("skills", "Assuming no skill rules: every skill level counts 1.0.");
        }

        config.defence_weight = number(root, "", "defence");

        if (const JsonValue* limit = member(root, "limit")) {
            const std::string expected = fmt::format("expected a whole number from 1 to {}", kMaxLimit);
            if (limit->kind != JsonValue::Kind::Number) fail(*limit, "limit", fmt::format("found {}, {}", json_kind_name(limit->kind), expected));
            if (limit->number < 1 || limit->number > static_cast<double>(kMaxLimit) || std::floor(limit->number) != limit->number)
                fail(*limit, "limit", fmt::format("found {}, {}", limit->text, expected));
            config.limit = static_cast<std::int64_t>(limit->number);
        } else {
            missing("limit", "Assuming a value of 1.0.");
            config.limit = 1;
        }
        return config;
    }

private:
    [[noreturn]] void fail(const JsonValue& at, const std::string& path, const std::string& message) const {
        throw DataError(source_, at.line, at.column, path.empty() ? message : path + ": " + message);
    }

    void missing(const std::string& path, const std::string& assumption) const {
        if (warn_) warn_(fmt::format("{}: Missing parameter '{}' in config. {}", source_, path, assumption));
    }

    static const JsonValue* member(const JsonValue& object, const std::string& key) {
        for (const auto& [name, value] : object.members)
            if (name == key) return &value;
        return nullptr;
    }

    void expect_object(const JsonValue& value, const std::string& path) const {
        if (value.kind != JsonValue::Kind::Object)
            fail(value, path, fmt::format("found {}, expected an object", json_kind_name(value.kind)));
    }

    double number(const JsonValue& object, const std::string& prefix, const std::string& key) const {
        const JsonValue* value = member(object, key);
        if (!value) {
            missing(prefix + key, "Assuming a value of 1.0.");
            return 1.0;
        }
        if (value->kind != JsonValue::Kind::Number)
            fail(*value, prefix + key, fmt::format("found {}, expected a number", json_kind_name(value->kind)));
        return value->number;
    }

    void warn_unknown(const JsonValue& object, const std::string& prefix, std::initializer_list<const char*> known) const {
        if (!warn_) return;
        for (std::size_t i = 0; i < object.members.size(); ++i) {
            const std::string& key = object.members[i].first;
            bool is_known = false;
            for (const char* k : known) is_known |= key == k;
            if (!is_known)
                warn_(fmt::format("{}:{}:{}: unknown key '{}{}' is ignored", source_, object.key_positions[i].first,
                                  object.key_positions[i].second, prefix, key));
        }
    }

    const std::string& source_;
    const WarningSink& warn_;
};

}  // namespace

namespace {

// A config is a few hundred bytes; this leaves room for thousands of skill rules.
constexpr std::size_t kMaxConfigBytes = 1 << 20;

const char* file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

[[noreturn]] void not_a_config(const std::string& source_name, int line, int column, const std::string& why) {
    throw DataError(source_name, line, column, "not a config file: " + why);
}

// JSON is UTF-8, but configs are hand-edited on Windows too: decode them as the equipment CSV is,
// so that a skill named in Windows-1252 matches the same name in the catalogue.
std::string decoded(const std::string& text, const std::string& source_name, const WarningSink& warn) {
    std::istringstream in(text);
    const EncodingFinding finding = detect_encoding(in, source_name);
    if (finding.encoding == TextEncoding::Windows1252 && warn)
        warn(fmt::format("{}: not valid UTF-8 (first at line {}, column {}); reading it as Windows-1252", source_name,
                         finding.first_bad_line, finding.first_bad_column));
    TextInput input(in, source_name, finding.encoding);
    std::string out;
    out.reserve(text.size());
    for (int c = input.next(); c != -1; c = input.next()) out.push_back(static_cast<char>(c));
    return out;
}

}  // namespace

Config read_config_text(const std::string& text, const std::string& source_name, const WarningSink& warn) {
    const std::string json = text.empty() ? text : decoded(text, source_name, warn);
    // What is not a JSON object or array is no config at all: say so without echoing any of it,
    // since a config path can be any file the user (or an SQL query) names.
    int line = 1, column = 1;
    for (const char c : json) {
        if (c == '{' || c == '[') break;
        if (c == '\n') { ++line; column = 1; continue; }
        if (c == ' ' || c == '\t' || c == '\r') { ++column; continue; }
        not_a_config(source_name, line, column, "expected a JSON object");
    }
    const JsonValue root = parse_json(json, source_name);
    if (root.kind == JsonValue::Kind::Object && !root.members.empty()) {
        bool any_known = false;
        for (const auto& [key, value] : root.members)
            any_known |= key == "decorations" || key == "skills" || key == "defence" || key == "limit";
        if (!any_known) not_a_config(source_name, root.line, root.column, "expected at least one of the keys decorations, skills, defence and limit");
    }
    return ConfigBuilder(source_name, warn).build(root);
}

std::string read_config_source(const std::string& path) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below like any non-file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw std::runtime_error(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    if (!S_ISREG(info.st_mode)) not_a_config(path, 1, 1, fmt::format("found {}, expected a regular file", file_kind(info.st_mode)));
    if (static_cast<std::uint64_t>(info.st_size) > kMaxConfigBytes)
        not_a_config(path, 1, 1, fmt::format("found {} bytes, expected at most {} (1 MiB)", info.st_size, kMaxConfigBytes));
    // Read one byte past the cap, in case the file grew since fstat.
    std::string text(kMaxConfigBytes + 1, '\0');
    std::size_t length = 0;
    while (length < text.size()) {
        const ssize_t n = ::read(fd, text.data() + length, text.size() - length);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
        if (n == 0) break;
        length += static_cast<std::size_t>(n);
    }
    if (length > kMaxConfigBytes) not_a_config(path, 1, 1, fmt::format("found more than {} bytes, expected at most 1 MiB", kMaxConfigBytes));
    text.resize(length);
    return text;
}

Config read_config_file(const std::string& path, const WarningSink& warn) {
    return read_config_text(read_config_source(path), path, warn);
}

}  // namespace mhwopt
