#pragma once
// What a player may ask of every set besides its score: skill minimums, a defence floor, pieces to
// leave out or to wear. Shared by `run`, `generate` and the search engines.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue.hpp"
#include "core/combination.hpp"

namespace mhwopt {

struct SkillRequirement {
    std::string skill;
    int min_level = 0;
};

struct Filters {
    std::vector<SkillRequirement> requirements;
    std::optional<int> min_defence;
    std::vector<std::string> excluded;  // piece names, in any part
    std::vector<std::string> pinned;    // piece names: each makes its part hold only that piece

    bool empty() const { return requirements.empty() && !min_defence && excluded.empty() && pinned.empty(); }
};

// "Attack Boost>=5" (blanks around the parts allowed). Throws UsageError naming what was expected.
SkillRequirement parse_requirement(std::string_view text);

// Filters bound to one catalogue's ids and positions.
struct ResolvedFilters {
    struct Requirement {
        std::optional<SkillId> skill;  // empty: no piece has the skill, so it cannot be met
        std::string name;
        int min_level;
    };
    std::vector<Requirement> requirements;
    int min_defence = 0;  // 0 when not asked: defence is never negative
    std::array<std::vector<bool>, kPartCount> allowed;  // by part, by position

    bool allows(const Positions& positions) const;
    bool passes(const Totals& totals) const;  // requirements and defence
};

// Throws UsageError for a piece name that is in no part, or a pin that names two pieces of one part.
ResolvedFilters resolve_filters(const Catalogue& catalogue, const Filters& filters);

// A canonical text of the filters, for recording in the database.
std::string describe_filters(const Filters& filters);

}  // namespace mhwopt
