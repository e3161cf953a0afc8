#pragma once
// Whether the --require deficits of a set (or of a partial one) can still be met by what is left to
// add, seeing all the requirements together with the slots they compete for (issue 19). Looking at
// each requirement alone lets four requirements that each fit the slots pass even when together
// they need twice the slots there are; the search then explores every such set.
//
// The test is the dual of the linear relaxation of "enough levels of each required skill": for any
// weights w_r >= 0 over the requirements, a decoration in a slot adds at most Σ_r w_r·levels_r of it,
// so a slot of size l adds at most best_l(w), the largest such sum over the decorations that fit it,
// and a set can meet deficits d_r only if Σ_r w_r·d_r <= Σ_l slots_l·best_l(w) (+ what pieces still
// to choose add, counted the same way). True for every w, so a few are tried: for each subset of
// the requirements, each weighted by one over the most levels of its skill one slot of a size can
// hold. Decoration counts are ignored (a relaxation: the test only ever errs towards "coverable").
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/filters.hpp"
#include "core/game_data.hpp"
#include "core/part.hpp"

namespace mhwopt {

class RequirementCover {
public:
    // `requirements`: those with a skill and a positive level, in the order deficits are given.
    // `decorations`: every decoration the placement may use (counts are not looked at, except that
    // a count of zero means the decoration is not there).
    RequirementCover(const std::vector<ResolvedFilters::Requirement>& requirements, const std::vector<Decoration>& decorations);

    bool empty() const { return requirements_.empty(); }
    std::size_t size() const { return requirements_.size(); }       // requirements
    std::size_t vectors() const { return weights_.size() / std::max<std::size_t>(1, size()); }
    SkillId skill(std::size_t r) const { return requirements_[r].skill; }
    int level(std::size_t r) const { return requirements_[r].level; }
    double weight(std::size_t v, std::size_t r) const { return weights_[v * size() + r]; }
    // The most one slot of size `slot` (1-4) adds under weight vector v, using decorations no
    // larger than `largest` (0-4; 0: none).
    double slot(std::size_t v, int slot, int largest = static_cast<int>(kSlotLevels)) const {
        const int k = std::min(slot, largest);
        return k <= 0 ? 0.0 : best_[v * kSlotLevels + static_cast<std::size_t>(k - 1)];
    }
    // Σ_r w_r·d_r under weight vector v.
    double need(std::size_t v, const int* deficits) const {
        double sum = 0.0;
        for (std::size_t r = 0; r < size(); ++r) sum += weight(v, r) * deficits[r];
        return sum;
    }
    // Whether `need` can be met by `have`; a margin against rounding keeps the test on the safe side.
    static bool short_of(double need, double have) { return need > have + 1e-9 * (1.0 + std::fabs(need)); }
    // The deficits (per requirement, >= 0) against these slots and decorations up to size `largest`:
    // false only when no placement can meet them.
    bool coverable(const int* deficits, const std::array<int, kSlotLevels>& slots, int largest = static_cast<int>(kSlotLevels)) const;

private:
    struct Req {
        SkillId skill;
        int level;
    };
    std::vector<Req> requirements_;
    std::vector<double> weights_;  // [vector][requirement]
    std::vector<double> best_;     // [vector][largest size usable - 1]
};

}  // namespace mhwopt
