// The concave envelope of a skill's gains (see skill_curves.hpp).
#include "core/search/skill_curves.hpp"

namespace mhwopt::engine {

GainEnvelope gain_envelope(const SkillCurves& curves, SkillId s, int level, int reach) {
    const long long cap = curves.last_weighted(s) - level;
    std::array<long long, 4> candidates = {0, cap, cap + 1, reach};
    std::sort(candidates.begin(), candidates.end());
    const double base = curves.value(s, level);
    GainEnvelope e;
    long long previous = -1;
    for (long long k : candidates) {
        if (k < 0 || k > reach || k == previous) continue;
        previous = k;
        const double gain = curves.value(s, level + k) - base;
        while (e.count >= 2) {
            const int i = e.count - 2, j = e.count - 1;
            if ((e.gain[j] - e.gain[i]) * static_cast<double>(k - e.k[i]) >
                (gain - e.gain[i]) * static_cast<double>(e.k[j] - e.k[i]))
                break;
            --e.count;  // the middle point is on or under the chord: not a vertex of the concave hull
        }
        e.k[e.count] = static_cast<int>(k);
        e.gain[e.count] = gain;
        ++e.count;
    }
    return e;
}

}  // namespace mhwopt::engine
