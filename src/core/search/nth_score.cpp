// The N-th best score: from a heap for small ranks, else by counting passes over score ranges
// extrapolated from smaller ranks and narrowed (settle) until the range holds a single score.
#include "core/search/best_first.hpp"
#include "core/search/counting.hpp"

namespace mhwopt::engine {

namespace {

// A lower bound of every set's score: each part at its least linear value, each skill at its worst
// level; less a margin for rounding. -inf when the scores are not all finite.
double lowest_score(const Model& model, const SkillCurves& curves) {
    double lowest = 0.0;
    for (std::size_t d = 0; d < kPartCount; ++d) {
        double least = kInfinity;
        for (const FlatPiece& piece : model.pieces[d]) least = std::min(least, piece.linear);
        lowest += least;
    }
    for (SkillId s = 0; s < model.reach[0].size(); ++s) {
        const long long reach = model.reach[0][s], cap = curves.last_weighted(s);
        double worst = std::min(curves.value(s, 0), curves.value(s, reach));
        for (long long level : {cap, cap + 1})
            if (level > 0 && level < reach) worst = std::min(worst, curves.value(s, level));
        lowest += worst;
    }
    lowest -= model.slack + 1e-9 * std::fabs(lowest) + 1.0;
    return std::isfinite(lowest) ? lowest : -kInfinity;
}

}  // namespace

// The N-th best from a heap of the best n: for small n, or scores the ranges cannot handle.
std::optional<NthScore> nth_by_heap(const Context& context, std::size_t n, const NthSearch& search, SearchStats& stats) {
    SharedThreshold shared;
    std::vector<TopNPolicy> policies;
    for (unsigned t = 0; t < search.threads; ++t)
        policies.emplace_back(n, 0.0, context.model, shared, search.cancel);
    explore_in_parallel(context, policies, stats);
    TopN merged(n);
    for (const TopNPolicy& p : policies) merged.merge(p.top());
    const std::vector<Ranked> best = merged.sorted();
    if (best.size() < n) return std::nullopt;
    const double nth = best.back().score;
    return NthScore{nth, static_cast<std::uint64_t>(
                             std::count_if(best.begin(), best.end(), [&](const Ranked& r) { return r.score > nth; }))};
}

namespace {

// Narrows a CountResult that holds the N-th best score down to that score.
NthScore settle(const Context& context, CountResult found, const NthSearch& search, SearchStats& stats) {
    const std::uint64_t n = search.n;
    for (;;) {
        if (found.high_key - found.low_key == 1 || (search.cancel && search.cancel->load()))
            return NthScore{from_ordered_key(found.low_key), found.above};
        if (!found.complete) {
            const CountRange next(found.low_key, found.high_key, search.tuning.later_buckets, found.above);
            found = count_pass(context, next, search, stats);
            continue;
        }
        // The bucket's scores, or its extremes, often settle it without another pass.
        if (found.scores) {
            std::uint64_t above = found.above;
            for (const auto& [score, count] : *found.scores) {
                if (above + count >= n) return NthScore{score, above};
                above += count;
            }
        }
        if (found.above + found.at_highest >= n) return NthScore{found.highest, found.above};
        const std::uint64_t above_lowest = found.above + found.count - found.at_lowest;
        if (above_lowest < n) return NthScore{found.lowest, above_lowest};
        const CountRange next(ordered_key(found.lowest), ordered_key(found.highest), search.tuning.later_buckets,
                              found.above + found.at_highest);
        found = count_pass(context, next, search, stats);
    }
}

// The N-th best with the range's low end first `reach` below the best, lowered until it holds n sets.
std::optional<NthScore> nth_in_range(const Context& context, const NthSearch& search, double top, double lowest,
                                     double reach, SearchStats& stats) {
    reach = std::max(reach, 1e-6 * (top - lowest));
    std::uint64_t range_high = ordered_key(top) + 1, above = 0;
    for (double step = 1.1;; step *= step) {
        const double low = std::max(lowest, top - reach);
        const CountRange range(ordered_key(low), range_high, search.tuning.first_buckets, above);
        const CountResult found = count_pass(context, range, search, stats);
        if (found.enough) {
            NthSearch narrower = search;
            narrower.harvest = nullptr;
            return settle(context, found, narrower, stats);
        }
        if (search.cancel && search.cancel->load()) return std::nullopt;
        if (low == lowest) {
            if (lowest == -kInfinity) return std::nullopt;
            lowest = -kInfinity;  // the bound is meant to be safe; this makes sure
        }
        above = found.total;
        range_high = ordered_key(low);
        reach *= step;
    }
}

// The N-th best score, given the best (finite) and a lower bound of all scores. A counting pass costs
// about what enumerating the sets at or above its low end costs, so that end had better be just
// below the N-th best: it is extrapolated from the best scores of ranks n/16, n/256, ..., found the
// same way from a heap's small rank up, and lowered step by step until the range holds n sets.
std::optional<NthScore> nth_below(const Context& context, const NthSearch& search, double top, double lowest,
                                  SearchStats& stats) {
    std::vector<std::size_t> ranks{search.n};
    while (ranks.back() > std::max<std::size_t>(1, search.tuning.heap_up_to)) ranks.push_back(std::max<std::size_t>(1, ranks.back() / 16));
    NthSearch level = search;
    level.n = ranks.back();
    level.harvest = nullptr;
    std::optional<NthScore> found = nth_by_heap(context, level.n, level, stats);
    // From rank k to rank 16k the distance from the best grew by 1.6 and less on the real catalogue,
    // the factor shrinking slowly with k: the last factor, a little less, is the guess for the next.
    double distance = 0.0, growth = 1.6;
    for (std::size_t r = ranks.size() - 1; r-- > 0 && found;) {
        const double previous = distance;
        distance = top - found->score;
        if (previous > 0 && distance > previous) growth = std::max(1.05, 0.92 * distance / previous);
        level.n = ranks[r];
        if (r == 0) level.harvest = search.harvest;
        found = nth_in_range(context, level, top, lowest, growth * distance, stats);
    }
    return found;
}

}  // namespace

std::optional<NthScore> nth_best_score(const Context& context, const NthSearch& search, SearchStats& stats) {
    const std::optional<NthScore> best = nth_by_heap(context, 1, search, stats);
    if (!best) return std::nullopt;
    // Infinite scores (from absurd weights) defeat the ranges; a heap of n still works.
    if (!std::isfinite(best->score)) return nth_by_heap(context, search.n, search, stats);
    const double lowest = std::min(lowest_score(context.model, context.curves), best->score);
    return nth_below(context, search, best->score, lowest, stats);
}

}  // namespace mhwopt::engine
