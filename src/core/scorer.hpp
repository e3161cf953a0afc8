#pragma once
// The original's linear score:
//   Σ_l slots_l × deco_l + (Σ_l slots_l) × num_decos + Σ_skills level × (level > max ? penalty : weight)
//   + defence × defence_weight
// Scores are computed from a combination's integer totals in one fixed order (the original's term
// order, skills by id), so the same combination always gets the bit-identical double, whichever
// engine or SQL function asks. Engines may use faster incremental sums to discard candidates, but
// rank with this value.
#include <vector>

#include "core/catalogue.hpp"
#include "core/combination.hpp"
#include "core/config.hpp"

namespace mhwopt {

class Scorer {
public:
    Scorer(const Catalogue& catalogue, const Config& config);

    double skill_value(SkillId skill, int level) const {
        const SkillRule& rule = rules_[skill];
        return level * (level > rule.max ? rule.penalty : rule.weight);
    }
    // The value of a piece's slots and defence (its part of the linear terms).
    double linear_value(const std::array<int, kSlotLevels>& slots, int defence) const;

    double score(const Totals& totals) const;
    // score() in parts, for callers that cache some of them: score(t) is exactly
    // combine(slot_value(t.slots), Σ skill_value over t.skills in order, t.defence). The terms
    // associate as the original's: ((((a + b) + c) + d) + e) + skills) + defence.
    double slot_value(const std::array<int, kSlotLevels>& slots) const;
    double combine(double slot_value, double skill_sum, int defence) const {
        return slot_value + skill_sum + defence * config_.defence_weight;
    }
    // The same from the slot and defence totals and the skills' values already summed (from 0.0, by
    // skill id): what engines that track totals themselves call to get the identical double.
    double score(const std::array<int, kSlotLevels>& slots, int defence, double skills) const {
        return combine(slot_value(slots), skills, defence);
    }

    const Config& config() const { return config_; }
    const SkillRule& rule(SkillId skill) const { return rules_[skill]; }

private:
    Config config_;
    std::vector<SkillRule> rules_;  // by skill id; skills the config does not name weigh 1.0, no cap
};

}  // namespace mhwopt
