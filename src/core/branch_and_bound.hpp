#pragma once
// Exact best-N search over catalogues far too large to enumerate (the whole game is ~1e15 sets).
//
// Every function here returns exactly what brute force over the same filters would: the same keys,
// the same Scorer::score doubles, the same order. Bounds and dominance only decide what need not be
// looked at; whatever is kept is ranked by Scorer::score on the exact totals, and every cut
// compares with a rounding slack so that floating-point drift can never hide a set.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/filters.hpp"
#include "core/search.hpp"

namespace mhwopt {

struct SearchStats {
    std::uint64_t nodes_visited = 0;         // partial sets whose bound was computed
    std::uint64_t cut_by_bound = 0;          // partial sets (or runs of siblings) the score bound discarded
    std::uint64_t cut_by_constraint = 0;     // partial sets that could no longer meet a requirement or the defence floor
    std::uint64_t combinations_scored = 0;   // complete sets scored exactly with Scorer::score
    std::array<std::size_t, kPartCount> pieces{};                // in the catalogue, by part
    std::array<std::size_t, kPartCount> removed_by_filters{};    // --exclude / --pin
    std::array<std::size_t, kPartCount> removed_by_dominance{};  // provably never in the result
    std::array<Part, kPartCount> search_order = kAllParts;       // depth of the search -> part
    double prepare_seconds = 0.0;  // flattening and dominance
    double search_seconds = 0.0;
    // Decorated searches: the time spent in placement solves, summed over threads, and their nodes.
    double placement_seconds = 0.0;
    std::uint64_t placement_nodes = 0;
};

// What the caller of a long search may watch and stop (both optional).
struct SearchControl {
    // Once set (by a SIGINT/SIGTERM handler, say), every loop stops within a unit of work and the
    // result is partial: check the flag after the call.
    const std::atomic<bool>* cancel = nullptr;
    // Called on the calling thread after each work unit: the pass (numbered from 1; a search makes a
    // few: best score, counting passes, streaming) and the share of that pass's units done, 0 to 1.
    std::function<void(unsigned pass, double done)> progress;
};

// The best `request.limit` combinations among those the filters allow and pass, best first, ties by
// lower key: identical to exhaustive_top_n(catalogue, scorer, request, filters). Uses
// request.threads threads; honours request.cancel (the result is then partial); request.progress is
// not advanced (the work is not proportional to the number of combinations).
std::vector<Ranked> branch_and_bound_top_n(const Catalogue& catalogue, const Scorer& scorer,
                                           const SearchRequest& request, const ResolvedFilters& filters,
                                           SearchStats* stats = nullptr);

// How the N-th best score is searched for by counting. Only the speed depends on it; the tests make
// the numbers tiny so that catalogues small enough for brute force take every path.
struct CountingTuning {
    std::size_t heap_up_to = 4096;        // an N-th best up to this rank is taken from a heap
    std::size_t first_buckets = 1 << 16;  // buckets of the first counting pass over a range
    std::size_t later_buckets = 1 << 16;  // and of the passes that narrow it
    std::uint64_t crowded_bucket = 1 << 16;  // extra sets in the N-th's bucket before it is no longer counted
    std::size_t kept_beyond = 1 << 16;  // sets a thread keeps beyond 2n/threads in the last pass, not to enumerate them again
};

// The same result found another way, which branch_and_bound_top_n takes for large limits (public
// for the tests): the N-th best score first, by counting passes in memory independent of the limit,
// then the sets reaching it (kept by the last pass, or else enumerated again) sorted; the memory is
// that of the result, at most three times over.
std::vector<Ranked> top_n_by_counting(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                      const ResolvedFilters& filters, const CountingTuning& tuning = {},
                                      SearchStats* stats = nullptr);

using CombinationSink = std::function<void(CombinationKey key, double score)>;

// Calls `sink` once for every combination the filters allow and pass whose Scorer::score is >= min_score,
// in ascending key order, on the calling thread. Memory stays bounded whatever the number of such
// combinations: the key space is cut into (head, body) blocks that at most a few per thread are
// buffered at a time. Every combination of score exactly min_score is included, so when min_score is
// the N-th best score, ties at that score may make the calls outnumber N; for_each_in_top_n gives exactly N.
void for_each_at_least(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       double min_score, unsigned threads, const CombinationSink& sink,
                       SearchStats* stats = nullptr, const SearchControl& control = {});

// Like for_each_at_least, but calls `sink` exactly for the combinations c with
// ranks_before(c, last) or c == last. With `last` the final entry of branch_and_bound_top_n(..., N),
// these are exactly its N results (of the ties at last.score, those of key <= last.key), in key order:
// the way to store a top N too large to hold in memory.
void for_each_in_top_n(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       const Ranked& last, unsigned threads, const CombinationSink& sink,
                       SearchStats* stats = nullptr, const SearchControl& control = {});

// The same for the top `n` without knowing the N-th set in advance, in memory independent of n: the
// N-th best score s is found first by counting passes (a histogram of the scores in a range,
// narrowed until the range holding the N-th holds one score), then every set scoring above s and the
// first n - count(above s) sets scoring exactly s, in key order, are passed to `sink`. Exactly
// min(n, passing sets) calls: the rows branch_and_bound_top_n(n) would return, in key order.
void for_each_in_top_n(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       std::size_t n, unsigned threads, const CombinationSink& sink, SearchStats* stats = nullptr,
                       const CountingTuning& tuning = {}, const SearchControl& control = {});

// Why no combination passes the filters.
struct UnmetFilter {
    bool is_defence = false;
    std::string skill;  // the requirement's skill name; empty for the defence floor
    int required = 0;
    // The best level (or defence) of any allowed set that meets every other filter; empty when the
    // other filters cannot all be met either.
    std::optional<int> best_with_others;
    int best_alone = 0;  // the best of any allowed set, ignoring the other requirements and the floor
};

struct FilterDiagnosis {
    std::vector<Part> empty_parts;  // --exclude / --pin left no piece for these parts
    std::vector<UnmetFilter> unmet;  // each filter that cannot be met together with all the others
    bool satisfiable() const { return empty_parts.empty() && unmet.empty(); }
};

// Exact: `unmet` lists every requirement (and the defence floor) whose best value over the sets that
// meet all the other filters falls short; when the filters are satisfiable both lists are empty.
// Honours `cancel` like the searches (the diagnosis is then incomplete).
FilterDiagnosis diagnose_filters(const Catalogue& catalogue, const ResolvedFilters& filters, unsigned threads = 1,
                                 const std::atomic<bool>* cancel = nullptr);

// One line per problem, for example
// "no set reaches Attack Boost 8: the best reachable is 7 (with the other filters met)".
std::string explain(const FilterDiagnosis& diagnosis);

}  // namespace mhwopt
