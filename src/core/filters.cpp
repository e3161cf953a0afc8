#include "core/filters.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "core/error.hpp"

namespace mhwopt {

namespace {
std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}
}  // namespace

SkillRequirement parse_requirement(std::string_view text) {
    const std::size_t op = text.find(">=");
    const std::string expected = "expected SKILL>=LEVEL, for example \"Attack Boost>=5\"";
    if (op == std::string_view::npos) throw UsageError(fmt::format("--require \"{}\": {}", text, expected));
    const std::string_view name = trim(text.substr(0, op));
    const std::string_view level_text = trim(text.substr(op + 2));
    int level = 0;
    const auto [end, error] = std::from_chars(level_text.data(), level_text.data() + level_text.size(), level);
    if (name.empty() || level_text.empty() || error != std::errc() || end != level_text.data() + level_text.size() || level < 0)
        throw UsageError(fmt::format("--require \"{}\": {}", text, expected));
    return {std::string(name), level};
}

bool ResolvedFilters::allows(const Positions& positions) const {
    for (std::size_t p = 0; p < kPartCount; ++p)
        if (!allowed[p][positions[p]]) return false;
    return true;
}

bool ResolvedFilters::passes(const Totals& totals) const {
    if (totals.defence < min_defence) return false;
    for (const Requirement& r : requirements) {
        if (r.min_level <= 0) continue;
        if (!r.skill) return false;
        int level = 0;
        for (const SkillLevel& s : totals.skills)
            if (s.skill == *r.skill) level = s.level;
        if (level < r.min_level) return false;
    }
    return true;
}

ResolvedFilters resolve_filters(const Catalogue& catalogue, const Filters& filters) {
    ResolvedFilters resolved;
    for (const SkillRequirement& r : filters.requirements)
        resolved.requirements.push_back({catalogue.find_skill(r.skill), r.skill, r.min_level});
    resolved.min_defence = filters.min_defence.value_or(0);
    for (Part part : kAllParts) resolved.allowed[index_of(part)].assign(catalogue.pieces(part).size(), true);

    for (const std::string& name : filters.excluded) {
        bool found = false;
        for (Part part : kAllParts)
            if (auto position = catalogue.find_piece(part, name)) {
                resolved.allowed[index_of(part)][*position] = false;
                found = true;
            }
        if (!found) throw UsageError(fmt::format("--exclude \"{}\": no piece has that name", name));
    }
    std::array<std::optional<std::string>, kPartCount> pinned_names;
    for (const std::string& name : filters.pinned) {
        bool found = false;
        for (Part part : kAllParts) {
            auto position = catalogue.find_piece(part, name);
            if (!position) continue;
            found = true;
            auto& pinned = pinned_names[index_of(part)];
            if (pinned && *pinned != name)
                throw UsageError(fmt::format("--pin \"{}\" and --pin \"{}\" are both {} pieces; a set wears one", *pinned, name, part_name(part)));
            pinned = name;
            auto& allowed = resolved.allowed[index_of(part)];
            const bool was_allowed = allowed[*position];
            allowed.assign(allowed.size(), false);
            allowed[*position] = was_allowed;  // pinning an excluded piece leaves nothing, as asked
        }
        if (!found) throw UsageError(fmt::format("--pin \"{}\": no piece has that name", name));
    }
    return resolved;
}

std::string describe_filters(const Filters& filters) {
    std::string out;
    auto add = [&](const std::string& item) { out += (out.empty() ? "" : " ") + item; };
    if (filters.min_defence) add(fmt::format("--min-defence {}", *filters.min_defence));
    for (const auto& r : filters.requirements) add(fmt::format("--require \"{}>={}\"", r.skill, r.min_level));
    for (const auto& name : filters.excluded) add(fmt::format("--exclude \"{}\"", name));
    for (const auto& name : filters.pinned) add(fmt::format("--pin \"{}\"", name));
    return out;
}

}  // namespace mhwopt
