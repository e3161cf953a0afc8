#pragma once
// Internal: finding the N-th best score by counting passes (counting.cpp runs one pass,
// nth_score.cpp narrows the range until it holds one score) and the top N built from it (collect.cpp).
#include <atomic>
#include <optional>
#include <utility>
#include <vector>

#include "core/search/count_range.hpp"
#include "core/search/parallel.hpp"

namespace mhwopt::engine {

// What a counting pass found: the bucket holding the N-th best score, or that fewer than n sets
// score at or above the range's low end.
struct CountResult {
    bool enough = false;
    std::uint64_t total = 0;  // when not enough: the sets at or above the range's low end, exactly
    std::uint64_t low_key = 0, high_key = 0;  // the N-th's bucket
    std::uint64_t above = 0;                  // sets at or above high_key, exactly
    // When complete (every set of the bucket was counted): its least and greatest score, how many
    // sets have each, and how many sets it holds; and every score with its count when known.
    bool complete = false;
    double lowest = kInfinity, highest = -kInfinity;
    std::uint64_t at_lowest = 0, at_highest = 0, count = 0;
    std::optional<std::vector<std::pair<double, std::uint64_t>>> scores;
};

// The sets the first counting pass that holds the N-th best kept on the way (each thread's, in any
// order): when complete, every set scoring at or above the N-th best is among them, so the top N need
// not be enumerated again.
struct Harvest {
    bool complete = false;
    std::vector<std::vector<Ranked>> sets;
};

// The limits of one search for the N-th best score.
struct NthSearch {
    std::size_t n;
    unsigned threads;
    const std::atomic<bool>* cancel;
    CountingTuning tuning;
    Harvest* harvest = nullptr;  // the counting passes at rank n fill it
};

struct NthScore {
    double score;
    std::uint64_t above;  // passing sets scoring strictly more
};

// One counting pass over `range`: which bucket holds the N-th best, and what is known about it.
CountResult count_pass(const Context& context, const CountRange& range, const NthSearch& search, SearchStats& stats);

// The N-th best from a heap of the best n: for small n, or scores the ranges cannot handle.
std::optional<NthScore> nth_by_heap(const Context& context, std::size_t n, const NthSearch& search, SearchStats& stats);

// The N-th best score of the model's passing sets, and how many score above it; empty when fewer than
// n pass. Memory independent of n: counting passes over ever narrower score ranges, each with a
// histogram, until the range holding the N-th holds one score.
std::optional<NthScore> nth_best_score(const Context& context, const NthSearch& search, SearchStats& stats);

// The top request.limit by counting first, then collecting the sets that reach the N-th score.
std::vector<Ranked> counting_search(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                    const ResolvedFilters& filters, const CountingTuning& tuning, SearchStats* stats_out);

}  // namespace mhwopt::engine
