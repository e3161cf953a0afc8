#pragma once
// Internal: a skill's value as a function of its total level (SkillCurves), and the concave envelope
// of its gains that makes per-part bounds add up (GainEnvelope). Every bound of the search is built
// from these two.
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/catalogue.hpp"
#include "core/scorer.hpp"
#include "core/search/common.hpp"

namespace mhwopt::engine {

// Scorer::skill_value as a function of the total level, which is linear on each side of the cap:
// every extremum over a range of levels is at an end of the range or next to the cap.
class SkillCurves {
public:
    SkillCurves(const Catalogue& catalogue, const Scorer& scorer)
        : scorer_(scorer), last_weighted_(catalogue.skill_count()) {
        for (SkillId s = 0; s < last_weighted_.size(); ++s) {
            const double max = scorer.rule(s).max;
            // "level > max" for an integer level is "level > floor(max)"; NaN compares false, so never capped.
            if (!(max < 1e15)) last_weighted_[s] = kUncapped;
            else if (max < -1e15) last_weighted_[s] = -kUncapped;
            else last_weighted_[s] = static_cast<long long>(std::floor(max));
        }
    }

    double value(SkillId s, long long level) const { return scorer_.skill_value(s, static_cast<int>(level)); }
    long long last_weighted(SkillId s) const { return last_weighted_[s]; }

    double best_between(SkillId s, int low, int high) const {
        double best = std::max(value(s, low), value(s, high));
        const long long cap = last_weighted_[s];
        for (long long level : {cap, cap + 1})
            if (level > low && level < high) best = std::max(best, value(s, level));
        return best;
    }

    // A lower bound, over every level c in [0, reach] the other parts may add, of value(c + a) - value(c + b).
    double least_difference(SkillId s, int a, int b, int reach) const {
        const long long cap = last_weighted_[s];
        double least = kInfinity;
        for (long long c : {0LL, static_cast<long long>(reach), cap - a, cap - a + 1, cap - b, cap - b + 1})
            if (c >= 0 && c <= reach) least = std::min(least, value(s, c + a) - value(s, c + b));
        return least;
    }

private:
    const Scorer& scorer_;
    std::vector<long long> last_weighted_;
};

// The least concave majorant g of h(k) = value(level + k) - value(level) over k in [0, reach].
// Concave with g(0) = 0 makes g subadditive, so the gains of the remaining parts together are at most
// the sum over parts of g(what that part's piece adds): a bound taken per part, which knows that a
// part contributes one piece, not the best piece for each skill at once.
struct GainEnvelope {
    int count = 0;
    std::array<int, 4> k{};
    std::array<double, 4> gain{};

    double at(int level) const {
        for (int i = 1; i < count; ++i)
            if (level <= k[i])
                return gain[i - 1] + (gain[i] - gain[i - 1]) * (level - k[i - 1]) / (k[i] - k[i - 1]);
        return gain[count - 1];
    }
};

GainEnvelope gain_envelope(const SkillCurves& curves, SkillId s, int level, int reach);

}  // namespace mhwopt::engine
