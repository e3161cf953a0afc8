// Dominance between pieces of one part: which pieces can be dropped because enough others rank
// before them in every completion and meet every filter they meet.
#include "core/search/dominance.hpp"

#include <algorithm>
#include <numeric>

namespace mhwopt::engine {

namespace {

class DominanceCheck {
public:
    DominanceCheck(const Model& model, const SkillCurves& curves, const std::vector<int>& other_reach)
        : model_(model), curves_(curves), other_reach_(other_reach) {}

    // True only when, in every completion by the other parts, a set with `a` ranks before the same set
    // with `b` (Scorer::score higher, or equal with a lower key) and meets every filter `b`'s set meets.
    bool dominates(const FlatPiece& a, const FlatPiece& b) const {
        if (model_.min_defence > 0 && a.defence < b.defence) return false;
        for (const auto& [skill, level] : model_.requirements)
            if (level_in(model_, a, skill) < level_in(model_, b, skill)) return false;
        if (same_totals(a, b)) return a.position < b.position;  // equal scores bit for bit: the key decides
        // Different totals may round to equal or swapped doubles, so demand a margin beyond rounding.
        double least = a.linear - b.linear;
        std::uint32_t i = a.skill_begin, j = b.skill_begin;
        while (i < a.skill_end || j < b.skill_end) {
            SkillId skill;
            int level_a = 0, level_b = 0;
            if (j == b.skill_end || (i < a.skill_end && model_.skills[i].skill < model_.skills[j].skill)) {
                skill = model_.skills[i].skill;
                level_a = model_.skills[i++].level;
            } else if (i == a.skill_end || model_.skills[j].skill < model_.skills[i].skill) {
                skill = model_.skills[j].skill;
                level_b = model_.skills[j++].level;
            } else {
                skill = model_.skills[i].skill;
                level_a = model_.skills[i++].level;
                level_b = model_.skills[j++].level;
            }
            least += curves_.least_difference(skill, level_a, level_b, other_reach_[skill]);
        }
        // With exact sums a difference of at least zero in every completion is exact too: an equal
        // score is then decided by the key, which only this part's position changes. Without this,
        // pieces that tie (every charm of a defence-only search) never dominate one another.
        if (model_.exact_step > 0) return least > 0 || (least == 0 && a.position < b.position);
        return least > model_.slack;
    }

private:
    bool same_totals(const FlatPiece& a, const FlatPiece& b) const {
        if (a.slots != b.slots || a.defence != b.defence) return false;
        if (a.skill_end - a.skill_begin != b.skill_end - b.skill_begin) return false;
        for (std::uint32_t i = 0; i < a.skill_end - a.skill_begin; ++i) {
            const SkillLevel& x = model_.skills[a.skill_begin + i];
            const SkillLevel& y = model_.skills[b.skill_begin + i];
            if (x.skill != y.skill || x.level != y.level) return false;
        }
        return true;
    }

    const Model& model_;
    const SkillCurves& curves_;
    const std::vector<int>& other_reach_;
};

}  // namespace

void remove_dominated(const Model& model, const SkillCurves& curves, std::size_t limit,
                      const std::array<std::vector<int>, kPartCount>& part_max, const std::vector<int>& total_max,
                      std::array<std::vector<FlatPiece>, kPartCount>& by_part, SearchStats& stats) {
    const std::size_t skill_count = total_max.size();
    std::vector<int> other_reach(skill_count);
    for (std::size_t p = 0; p < kPartCount; ++p) {
        auto& pieces = by_part[p];
        if (pieces.size() <= limit) continue;
        for (std::size_t s = 0; s < skill_count; ++s) other_reach[s] = total_max[s] - part_max[p][s];
        const DominanceCheck check(model, curves, other_reach);
        std::vector<std::uint32_t> by_alone(pieces.size());
        std::iota(by_alone.begin(), by_alone.end(), 0u);
        std::stable_sort(by_alone.begin(), by_alone.end(),
                         [&](std::uint32_t x, std::uint32_t y) { return pieces[x].alone > pieces[y].alone; });
        // Decided against the unreduced part: a dropped dominator is itself dominated by enough
        // kept pieces, which (the relation being transitive) dominate the piece too.
        std::vector<bool> dropped(pieces.size(), false);
        for (std::uint32_t b : by_alone) {
            std::size_t dominators = 0;
            for (std::uint32_t a : by_alone) {
                // Outscoring b in every completion means outscoring it alone, so stop at the first weaker piece.
                if (pieces[a].alone < pieces[b].alone) break;
                if (a != b && check.dominates(pieces[a], pieces[b]) && ++dominators >= limit) break;
            }
            dropped[b] = dominators >= limit;
        }
        std::vector<FlatPiece> kept;
        for (std::size_t i = 0; i < pieces.size(); ++i)
            if (!dropped[i]) kept.push_back(pieces[i]);
        stats.removed_by_dominance[p] = pieces.size() - kept.size();
        pieces = std::move(kept);
    }
}

}  // namespace mhwopt::engine
