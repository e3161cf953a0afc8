// The top N by counting: once the N-th best score is known, every set above it and the ties at it
// of lowest key, taken from what the last counting pass kept (Harvest) or else enumerated again
// (CollectPolicy).
#include <optional>
#include <stdexcept>

#include "core/search/best_first.hpp"
#include "core/search/counting.hpp"

namespace mhwopt::engine {

namespace {

// The top N once its last score `nth` is known: every set above it, and of the ties at it those of
// lowest key, of which no more than twice the number wanted are held. The sets above go straight
// into `above`, sized for them by the count, so a million results are held once.
class CollectPolicy {
public:
    static constexpr bool kBestFirst = true;
    CollectPolicy(double nth, std::uint64_t ties_wanted, std::vector<Ranked>& above, std::atomic<std::size_t>& filled,
                  const Model& model, const std::atomic<bool>* cancel)
        : nth_(nth), ties_wanted_(ties_wanted), above_(&above), filled_(&filled), slack_(model.slack),
          exact_(model.exact_step > 0), cancel_(cancel) {}

    bool stopped() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
    double floor() const { return nth_ - slack_; }
    void leaf(const PartialSet& set, std::uint32_t index, double score) {
        if (score > nth_) {
            const std::size_t slot = filled_->fetch_add(1, std::memory_order_relaxed);
            if (slot >= above_->size()) throw std::logic_error("more sets above the N-th best score than counted");
            (*above_)[slot] = {score, set.leaf_key(index)};
        } else if (score == nth_) {
            ties_.push_back({score, set.leaf_key(index)});
            if (ties_.size() >= 2 * ties_wanted_ + 1024 || (!highest_tie_ && ties_.size() == ties_wanted_)) keep_lowest_ties();
        }
    }
    // Once this thread holds enough ties, a subtree of ties all above their highest key adds none.
    bool tie_cut(double bound, CombinationKey least_key) const {
        return exact_ && highest_tie_ && bound <= nth_ && least_key > *highest_tie_;
    }
    void leaves_done(const PartialSet&) {}

    void keep_lowest_ties() {
        if (ties_wanted_ == 0) ties_.clear();
        if (ties_.size() < ties_wanted_ || ties_wanted_ == 0) return;
        const auto middle = ties_.begin() + static_cast<std::ptrdiff_t>(ties_wanted_);
        std::nth_element(ties_.begin(), middle - 1, ties_.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
        highest_tie_ = (middle - 1)->key;
        ties_.erase(middle, ties_.end());
    }
    std::vector<Ranked>& ties() { return ties_; }

private:
    double nth_;
    std::uint64_t ties_wanted_;
    std::vector<Ranked>* above_;
    std::atomic<std::size_t>* filled_;
    double slack_;
    bool exact_;
    const std::atomic<bool>* cancel_;
    std::vector<Ranked> ties_;
    std::optional<CombinationKey> highest_tie_;  // of the ties_wanted_ lowest, once that many are held
};

// The top N out of the sets a counting pass kept, best first; empty if they do not add up (they
// always should: then the sets are simply enumerated again).
std::optional<std::vector<Ranked>> top_from_harvest(Harvest& harvest, const NthScore& nth, std::size_t limit) {
    std::vector<Ranked> top(nth.above), ties;
    std::size_t filled = 0;
    for (std::vector<Ranked>& sets : harvest.sets) {
        for (const Ranked& r : sets) {
            if (r.score > nth.score) {
                if (filled == top.size()) return std::nullopt;
                top[filled++] = r;
            } else if (r.score == nth.score) {
                ties.push_back(r);
            }
        }
        std::vector<Ranked>().swap(sets);
    }
    if (filled != top.size() || ties.size() < limit - nth.above) return std::nullopt;
    std::sort(ties.begin(), ties.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
    top.insert(top.end(), ties.begin(), ties.begin() + static_cast<std::ptrdiff_t>(limit - nth.above));
    std::sort(top.begin(), top.end(), [](const Ranked& a, const Ranked& b) { return ranks_before(a, b); });
    return top;
}

}  // namespace

std::vector<Ranked> counting_search(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                    const ResolvedFilters& filters, const CountingTuning& tuning, SearchStats* stats_out) {
    SearchStats stats;
    const auto start = Clock::now();
    std::vector<Ranked> result;
    const SkillCurves curves(catalogue, scorer);
    const Model model = best_first_model(catalogue, scorer, filters, curves, request.limit, stats);
    stats.prepare_seconds = seconds_since(start);
    const auto search_start = Clock::now();
    const unsigned threads = std::max(1u, request.threads);
    const Context context{model, curves, catalogue, scorer};
    if (request.limit > 0 && catalogue.combination_count() > 0 && !model.impossible) {
        Harvest harvest;
        const NthSearch search{request.limit, threads, request.cancel, tuning, &harvest};
        std::optional<NthScore> nth = nth_best_score(context, search, stats);
        if (nth && harvest.complete) {
            if (std::optional<std::vector<Ranked>> top = top_from_harvest(harvest, *nth, request.limit)) {
                stats.search_seconds = seconds_since(search_start);
                if (stats_out) *stats_out = stats;
                return *std::move(top);
            }
        }
        harvest = Harvest{};
        if (!nth) {
            // Fewer passing sets than asked: all of them, which the count gives.
            const CountRange everything(ordered_key(-kInfinity), ordered_key(kInfinity) + 1, 2, 0);
            nth = NthScore{-kInfinity, count_pass(context, everything, search, stats).total};
        }
        const std::uint64_t ties_wanted = nth->score == -kInfinity ? request.limit : request.limit - nth->above;
        result.resize(nth->above);
        std::atomic<std::size_t> filled{0};
        std::vector<CollectPolicy> policies;
        for (unsigned t = 0; t < threads; ++t)
            policies.emplace_back(nth->score, ties_wanted, result, filled, model, request.cancel);
        explore_in_parallel(context, policies, stats);
        result.resize(filled.load());  // fewer only when cancelled
        std::vector<Ranked> ties;
        for (CollectPolicy& p : policies) {
            p.keep_lowest_ties();
            ties.insert(ties.end(), p.ties().begin(), p.ties().end());
        }
        std::sort(ties.begin(), ties.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
        if (ties.size() > ties_wanted) ties.resize(ties_wanted);
        result.insert(result.end(), ties.begin(), ties.end());
        std::sort(result.begin(), result.end(), [](const Ranked& a, const Ranked& b) { return ranks_before(a, b); });
    }
    stats.search_seconds = seconds_since(search_start);
    if (stats_out) *stats_out = stats;
    return result;
}

}  // namespace mhwopt::engine

namespace mhwopt {

std::vector<Ranked> top_n_by_counting(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                      const ResolvedFilters& filters, const CountingTuning& tuning, SearchStats* stats) {
    return engine::counting_search(catalogue, scorer, request, filters, tuning, stats);
}

}  // namespace mhwopt
