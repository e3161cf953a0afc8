#include "io/config_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "io/json.hpp"

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

Config read_config_text(const std::string& text, const std::string& source_name, const WarningSink& warn) {
    // A UTF-8 BOM is invisible to the user, so it moves no column; skipping it changes no position.
    const bool has_bom = text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0;
    const JsonValue root = parse_json(has_bom ? text.substr(3) : text, source_name);
    return ConfigBuilder(source_name, warn).build(root);
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
}

Config read_config_file(const std::string& path, const WarningSink& warn) {
    return read_config_text(read_text_file(path), path, warn);
}

}  // namespace mhwopt
