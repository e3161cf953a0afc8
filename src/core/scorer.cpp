#include "core/scorer.hpp"

#include <limits>

namespace mhwopt {

Scorer::Scorer(const Catalogue& catalogue, const Config& config) : config_(config) {
    const SkillRule unconfigured{std::numeric_limits<double>::infinity(), 1.0, 1.0};
    rules_.assign(catalogue.skill_count(), unconfigured);
    for (const auto& [name, rule] : config.skills)
        if (auto id = catalogue.find_skill(name)) rules_[*id] = rule;
}

double Scorer::linear_value(const std::array<int, kSlotLevels>& slots, int defence) const {
    const auto& deco = config_.deco_weights;
    return slots[0] * deco[0] + slots[1] * deco[1] + slots[2] * deco[2] + slots[3] * deco[3] +
           (slots[0] + slots[1] + slots[2] + slots[3]) * config_.num_decos_weight + defence * config_.defence_weight;
}

double Scorer::score(const Totals& totals) const {
    double skills = 0.0;
    for (const SkillLevel& s : totals.skills) skills += skill_value(s.skill, s.level);
    return score(totals.slots, totals.defence, skills);
}

double Scorer::score(const std::array<int, kSlotLevels>& slots, int defence, double skills) const {
    const auto& deco = config_.deco_weights;
    // Same association as the original: ((((a + b) + c) + d) + e) + skills) + defence.
    return slots[0] * deco[0] + slots[1] * deco[1] + slots[2] * deco[2] + slots[3] * deco[3] +
           (slots[0] + slots[1] + slots[2] + slots[3]) * config_.num_decos_weight + skills +
           defence * config_.defence_weight;
}

}  // namespace mhwopt
