#pragma once
// Internal: the best-first search for a small top N (a heap of the best so far, its N-th score
// shared between threads as the bar), which diagnosis and the N-th-score search also use.
#include <vector>

#include "core/search/parallel.hpp"

namespace mhwopt::engine {

// The best `limit` sets, with the N-th best so far shared between threads as the bar.
class TopNPolicy {
public:
    static constexpr bool kBestFirst = true;
    TopNPolicy(std::size_t limit, double min_improvement, const Model& model, SharedThreshold& shared,
               const std::atomic<bool>* cancel)
        : top_(limit), min_improvement_(min_improvement), slack_(model.slack), exact_(model.exact_step > 0),
          shared_(&shared), cancel_(cancel) {}

    bool stopped() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
    // A set is worth looking at only if it can rank before the N-th best so far: a score above it
    // or, at equal score, a lower key; so bounds cut only when strictly below (less the slack).
    double floor() const { return std::max(top_.threshold(), shared_->get()) + min_improvement_ - slack_; }
    void leaf(const PartialSet& set, std::uint32_t index, double score) {
        top_.offer({score, set.leaf_key(index)});
        if (top_.full()) shared_->raise(top_.threshold());
    }
    // At the N-th best score exactly, only a lower key than the N-th's ranks before it: a subtree of
    // ties from higher keys on is not worth enumerating.
    bool tie_cut(double bound, CombinationKey least_key) const {
        return exact_ && top_.full() && bound <= top_.threshold() && least_key > top_.worst().key;
    }
    void leaves_done(const PartialSet&) {}
    const TopN& top() const { return top_; }

private:
    TopN top_;
    double min_improvement_;
    double slack_;
    bool exact_;
    SharedThreshold* shared_;
    const std::atomic<bool>* cancel_;
};

// The model branch_and_bound_top_n searches: dominance for the top `limit`, pieces best alone first.
Model best_first_model(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       const SkillCurves& curves, std::size_t limit, SearchStats& stats);

// The best request.limit sets; with min_improvement > 0, only sets beating the N-th best so far by
// that much are looked at (for integer objectives whose ties do not matter).
std::vector<Ranked> top_n_search(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                 const ResolvedFilters& filters, double min_improvement, SearchStats* stats_out);

}  // namespace mhwopt::engine
