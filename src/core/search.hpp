#pragma once
// Finding the best N combinations of a catalogue without ever holding more than N of them.
#include <atomic>
#include <cstdint>
#include <vector>

#include "core/catalogue.hpp"
#include "core/filters.hpp"
#include "core/scorer.hpp"
#include "core/top_n.hpp"

namespace mhwopt {

struct SearchRequest {
    std::size_t limit = 1;
    unsigned threads = 1;
    // Optional: advanced by the number of combinations accounted for, for a progress display.
    std::atomic<std::uint64_t>* progress = nullptr;
    // Optional: when set, workers stop at their next unit of work; the result is then partial.
    const std::atomic<bool>* cancel = nullptr;
};

// Visits every combination, scoring with incremental partial sums over the nested parts.
// Result: best first, at most `limit` entries, scores from Scorer::score.
std::vector<Ranked> exhaustive_top_n(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request);
// The same, over only the combinations the filters allow and pass: the reference the pruning
// engines are tested against, so it applies the filters by brute force and nothing cleverer.
std::vector<Ranked> exhaustive_top_n(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                     const ResolvedFilters& filters);

// A bound on how far an incrementally summed score can drift from Scorer::score; engines compare
// with this slack so that rounding never hides a combination that belongs in the result.
double rounding_margin(const Catalogue& catalogue, const Scorer& scorer);

}  // namespace mhwopt
