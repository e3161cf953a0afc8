// The walk's bounds, terms and exact scores that are not worth inlining (see walk.hpp).
#include "core/search/walk.hpp"

#include <cmath>

namespace mhwopt::engine {

PartialSet::PartialSet(const Context& context)
    : model_(context.model), curves_(context.curves), catalogue_(context.catalogue), scorer_(context.scorer),
      levels_(context.catalogue.skill_count(), 0), values_(context.catalogue.skill_count(), 0.0),
      envelopes_(context.catalogue.skill_count()), envelope_node_(context.catalogue.skill_count(), 0) {
    for (SkillId s = 0; s < values_.size(); ++s) values_[s] = curves_.value(s, 0);
    // Scorer::score also adds the value of skills whose levels sum to 0; skipping them is exact
    // only while that value is a zero (it is NaN for an infinite weight).
    exact_from_levels_ = std::all_of(values_.begin(), values_.end(), [](double v) { return v == 0.0; });
    const KeyCodec codec(context.catalogue);
    for (std::size_t p = 0; p < kPartCount; ++p) {
        Positions unit{};
        unit[p] = 1;
        stride_[p] = codec.encode(unit);
    }
}

void PartialSet::select_leaf_candidates(double current, double floor) {
    const auto& child_terms = terms_[kLastDepth - 1];
    const auto& terms = terms_[kLastDepth];
    const double best_child = *std::max_element(child_terms.begin(), child_terms.end());
    leaf_candidates_.clear();
    for (std::uint32_t i = 0; i < terms.size(); ++i)
        if (current + best_child + terms[i] >= floor) leaf_candidates_.push_back(i);
    std::sort(leaf_candidates_.begin(), leaf_candidates_.end(), [&](std::uint32_t a, std::uint32_t b) {
        return terms[a] > terms[b] || (terms[a] == terms[b] && a < b);
    });
}

double PartialSet::range_bound(std::size_t depth, double current, double linear) const {
    double bound = current + linear;
    for (SkillId s : model_.reachable[depth])
        bound += curves_.best_between(s, levels_[s], levels_[s] + model_.reach[depth][s]) - values_[s];
    return bound;
}

double PartialSet::term(std::size_t depth, const FlatPiece& piece) {
    double t = piece.linear;
    for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i) {
        const SkillId s = model_.skills[i].skill;
        if (envelope_node_[s] != node_) {
            envelopes_[s] = gain_envelope(curves_, s, levels_[s], model_.reach[depth][s]);
            envelope_node_[s] = node_;
        }
        double gain = envelopes_[s].at(model_.skills[i].level);
        // Interpolating may round below a gain on the chord; up to the step, the bound stays exact.
        if (model_.exact_step > 0) gain = std::ceil(gain / model_.exact_step) * model_.exact_step;
        t += gain;
    }
    return t;
}

double PartialSet::compute_child_terms(std::size_t depth, double current, double floor) {
    ++node_;
    double rest = 0.0;
    if (depth + 1 == kLastDepth) {
        rest = fill_terms(kLastDepth, depth, floor - current - model_.best_static[depth]);
    } else {
        for (std::size_t d = depth + 1; d < kPartCount; ++d) {
            double best = -kInfinity;
            for (std::uint32_t i : model_.by_static[d]) {
                if (model_.static_term[d][i] <= best) break;
                best = std::max(best, term(depth, model_.pieces[d][i]));
            }
            rest += best;
        }
    }
    fill_terms(depth, depth, floor - current - rest);
    return rest;
}

double PartialSet::fill_terms(std::size_t d, std::size_t depth, double needed) {
    auto& terms = terms_[d];
    terms.resize(model_.pieces[d].size());
    double best = -kInfinity;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        terms[i] = model_.static_term[d][i] < needed ? -kInfinity : term(depth, model_.pieces[d][i]);
        best = std::max(best, terms[i]);
    }
    return best;
}

double PartialSet::exact_score(const FlatPiece& piece) {
    if (!exact_from_levels_) {
        positions_[model_.part_at_depth[kLastDepth]] = piece.position;
        totals_of(catalogue_, positions_, scratch_);
        return scorer_.score(scratch_);
    }
    if (!active_ready_) collect_active_skills();
    double skills = 0.0;
    std::size_t i = 0;
    std::uint32_t j = piece.skill_begin;
    while (i < active_.size() || j < piece.skill_end) {
        if (j == piece.skill_end || (i < active_.size() && active_[i].skill < model_.skills[j].skill)) {
            skills += scorer_.skill_value(active_[i].skill, active_[i].level);
            ++i;
        } else if (i == active_.size() || model_.skills[j].skill < active_[i].skill) {
            skills += scorer_.skill_value(model_.skills[j].skill, model_.skills[j].level);
            ++j;
        } else {
            skills += scorer_.skill_value(active_[i].skill, active_[i].level + model_.skills[j].level);
            ++i;
            ++j;
        }
    }
    std::array<int, kSlotLevels> slots = slots_;
    for (std::size_t l = 0; l < kSlotLevels; ++l) slots[l] += piece.slots[l];
    return scorer_.score(slots, defence_ + piece.defence, skills);
}

void PartialSet::collect_active_skills() {
    active_.clear();
    for (std::size_t d = 0; d < kLastDepth; ++d) {
        const FlatPiece& piece = model_.pieces[d][chosen_[d]];
        for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i)
            active_.push_back({model_.skills[i].skill, 0});
    }
    std::sort(active_.begin(), active_.end(), [](const SkillLevel& a, const SkillLevel& b) { return a.skill < b.skill; });
    active_.erase(std::unique(active_.begin(), active_.end(),
                              [](const SkillLevel& a, const SkillLevel& b) { return a.skill == b.skill; }),
                  active_.end());
    for (SkillLevel& s : active_) s.level = levels_[s.skill];
    active_.erase(std::remove_if(active_.begin(), active_.end(), [](const SkillLevel& s) { return s.level == 0; }),
                  active_.end());
    active_ready_ = true;
}

}  // namespace mhwopt::engine
