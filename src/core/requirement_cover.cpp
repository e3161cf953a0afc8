#include "core/requirement_cover.hpp"

namespace mhwopt {

namespace {

// Beyond this many requirements, subsets of one, two and all of them (the number of subsets would
// otherwise grow as 2^n for a test run at every node).
constexpr std::size_t kAllSubsetsUpTo = 6;

}  // namespace

RequirementCover::RequirementCover(const std::vector<ResolvedFilters::Requirement>& requirements,
                                   const std::vector<Decoration>& decorations) {
    for (const auto& r : requirements)
        if (r.skill && r.min_level > 0) requirements_.push_back({*r.skill, r.min_level});
    const std::size_t n = requirements_.size();
    if (n == 0) return;
    auto levels_of = [&](const Decoration& d, std::size_t r) {
        int level = 0;
        for (const SkillLevel& s : d.skills) level += s.skill == requirements_[r].skill ? s.level : 0;
        return level;
    };
    // most[r][k]: the most levels of requirement r's skill one decoration of size <= k + 1 has.
    std::vector<std::array<int, kSlotLevels>> most(n, std::array<int, kSlotLevels>{});
    for (const Decoration& d : decorations) {
        if (d.count && *d.count <= 0) continue;
        for (std::size_t r = 0; r < n; ++r)
            for (std::size_t k = static_cast<std::size_t>(std::max(1, d.size)) - 1; k < kSlotLevels; ++k)
                most[r][k] = std::max(most[r][k], levels_of(d, r));
    }
    std::vector<std::uint64_t> subsets;
    if (n <= kAllSubsetsUpTo) {
        for (std::uint64_t m = 1; m < (std::uint64_t{1} << n); ++m) subsets.push_back(m);
    } else {
        for (std::size_t a = 0; a < n; ++a) {
            subsets.push_back(std::uint64_t{1} << a);
            for (std::size_t b = a + 1; b < n && b < 64; ++b) subsets.push_back((std::uint64_t{1} << a) | (std::uint64_t{1} << b));
        }
        subsets.push_back(~std::uint64_t{0});
    }
    std::vector<double> w(n);
    for (std::uint64_t subset : subsets)
        for (std::size_t size = 0; size < kSlotLevels; ++size) {
            // Each skill of the subset at one over the most levels a slot of this size (or the next
            // size holding any) gives it: then a slot's value counts slots, where they are needed.
            for (std::size_t r = 0; r < n; ++r) {
                w[r] = 0.0;
                if (r < 64 && !(subset >> r & 1u)) continue;
                std::size_t k = size;
                while (k + 1 < kSlotLevels && most[r][k] == 0) ++k;
                w[r] = most[r][k] > 0 ? 1.0 / most[r][k] : 1.0;
            }
            bool seen = false;
            for (std::size_t v = 0; v < vectors() && !seen; ++v)
                seen = std::equal(w.begin(), w.end(), weights_.begin() + static_cast<std::ptrdiff_t>(v * n));
            if (!seen) weights_.insert(weights_.end(), w.begin(), w.end());
        }
    best_.assign(vectors() * kSlotLevels, 0.0);
    for (std::size_t v = 0; v < vectors(); ++v)
        for (const Decoration& d : decorations) {
            if (d.count && *d.count <= 0) continue;
            double sum = 0.0;
            for (std::size_t r = 0; r < n; ++r) sum += weight(v, r) * levels_of(d, r);
            for (std::size_t k = static_cast<std::size_t>(std::max(1, d.size)) - 1; k < kSlotLevels; ++k)
                best_[v * kSlotLevels + k] = std::max(best_[v * kSlotLevels + k], sum);
        }
}

bool RequirementCover::coverable(const int* deficits, const std::array<int, kSlotLevels>& slots, int largest) const {
    for (std::size_t v = 0; v < vectors(); ++v) {
        const double need = this->need(v, deficits);
        if (need <= 0.0) continue;
        double have = 0.0;
        for (std::size_t l = 0; l < kSlotLevels; ++l) have += slots[l] * slot(v, static_cast<int>(l + 1), largest);
        if (short_of(need, have)) return false;
    }
    return true;
}

}  // namespace mhwopt
