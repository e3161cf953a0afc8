// One counting pass: every thread counts the passing sets of a score range per bucket (CountPolicy),
// raising the shared bar as soon as the counts show the N-th best is above it.
#include "core/search/counting.hpp"

namespace mhwopt::engine {

namespace {

// Counts the passing sets of a CountRange per bucket. The cut rises as soon as the counts show the
// N-th best score is above it: the floor bucket is the highest one with at least n sets at or above
// it. Every thread's cut is a valid bar for all (each counts a subset of the sets), so they share it.
class CountPolicy {
public:
    static constexpr bool kBestFirst = true;
    // keep_limit > 0: also keep the sets at or above the cut, up to that many at a time.
    CountPolicy(const CountRange& range, std::uint64_t n, std::uint64_t crowded, double slack, SharedThreshold& shared,
                const std::atomic<bool>* cancel, std::size_t keep_limit)
        : range_(&range), n_(n), crowded_at_(2 * n + crowded), slack_(slack), shared_(&shared), cancel_(cancel),
          tallies_(range.buckets()), above_(range.above), cut_(range.edge(0)), keep_limit_(keep_limit) {
        kept_.reserve(keep_limit_);  // never reallocated: growing would briefly hold it twice
    }

    bool stopped() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
    double floor() const { return std::max(cut_, shared_->get()) - slack_; }
    void leaf(const PartialSet& set, std::uint32_t index, double score) {
        const double bar = std::max(cut_, shared_->get());
        if (!(score >= bar)) return;
        if (keep_limit_ > 0) keep({score, set.leaf_key(index)}, bar);
        if (ordered_key(score) >= range_->high()) return;
        const std::size_t b = range_->bucket_of(score);
        tallies_[b].add(score);
        if (b > floor_bucket_) ++above_;
        // above_ counts the sets above the floor bucket; move up while those alone are enough.
        while (floor_bucket_ + 1 < tallies_.size() && above_ >= n_) above_ -= tallies_[++floor_bucket_].count;
        const std::uint64_t at_or_above = above_ + tallies_[floor_bucket_].count;
        if (at_or_above < n_) return;
        double cut = range_->edge(floor_bucket_);
        // When the floor bucket alone holds far more sets than needed, it is not counted further:
        // more sets there cannot move the N-th out of it, and a score with millions of ties would
        // otherwise be enumerated in full.
        if (at_or_above >= crowded_at_) {
            cut = range_->edge(floor_bucket_ + 1);
            crowded_ = std::max(crowded_, static_cast<std::ptrdiff_t>(floor_bucket_));
        }
        if (cut > cut_) {
            cut_ = cut;
            shared_->raise(cut);
        }
    }
    bool tie_cut(double, CombinationKey) const { return false; }  // every set at the cut is counted
    void leaves_done(const PartialSet&) {}

    const std::vector<BucketTally>& tallies() const { return tallies_; }
    bool kept_all() const { return keep_limit_ > 0; }
    std::vector<Ranked>& kept() { return kept_; }
    // The highest bucket this thread stopped counting (-1: none).
    std::ptrdiff_t crowded() const { return crowded_; }

private:
    const CountRange* range_;
    std::uint64_t n_;
    std::uint64_t crowded_at_;
    double slack_;
    SharedThreshold* shared_;
    const std::atomic<bool>* cancel_;
    std::vector<BucketTally> tallies_;
    std::size_t floor_bucket_ = 0;
    std::uint64_t above_;
    double cut_;
    std::ptrdiff_t crowded_ = -1;
    std::size_t keep_limit_;
    std::vector<Ranked> kept_;

    void keep(const Ranked& r, double bar) {
        if (kept_.size() == keep_limit_) {
            // The bar has risen since most of them were kept.
            kept_.erase(std::remove_if(kept_.begin(), kept_.end(), [&](const Ranked& k) { return k.score < bar; }), kept_.end());
            if (kept_.size() > keep_limit_ / 4 * 3) {
                keep_limit_ = 0;  // too many: the caller enumerates them again instead
                std::vector<Ranked>().swap(kept_);
                return;
            }
        }
        kept_.push_back(r);
    }
};

}  // namespace

CountResult count_pass(const Context& context, const CountRange& range, const NthSearch& search, SearchStats& stats) {
    const std::uint64_t n = search.n;
    SharedThreshold shared;
    std::vector<CountPolicy> policies;
    // Twice n in all: a pass whose range holds far more is better repeated than held.
    const std::size_t keep_limit = search.harvest ? std::max<std::size_t>(1, 2 * search.n / search.threads + search.tuning.kept_beyond) : 0;
    for (unsigned t = 0; t < search.threads; ++t)
        policies.emplace_back(range, n, search.tuning.crowded_bucket, context.model.slack, shared, search.cancel, keep_limit);
    explore_in_parallel(context, policies, stats);
    if (search.harvest) {
        search.harvest->complete = std::all_of(policies.begin(), policies.end(), [](const CountPolicy& p) { return p.kept_all(); });
        search.harvest->sets.clear();
        for (CountPolicy& p : policies) search.harvest->sets.push_back(std::move(p.kept()));
    }

    std::vector<std::uint64_t> counts(range.buckets(), 0);
    std::ptrdiff_t crowded = -1;
    for (const CountPolicy& p : policies) {
        for (std::size_t b = 0; b < range.buckets(); ++b) counts[b] += p.tallies()[b].count;
        crowded = std::max(crowded, p.crowded());
    }
    CountResult result;
    std::uint64_t above = range.above;
    std::size_t b = range.buckets();
    while (b > 0 && above + counts[b - 1] < n) above += counts[--b];
    result.total = above;
    if (b == 0) {
        if (search.harvest) *search.harvest = Harvest{};
        return result;
    }
    --b;
    result.enough = true;
    result.low_key = range.edge_key(b);
    result.high_key = range.edge_key(b + 1);
    result.above = above;
    result.complete = crowded < static_cast<std::ptrdiff_t>(b);
    result.count = counts[b];
    std::vector<std::pair<double, std::uint64_t>> scores;
    bool described = true;
    for (const CountPolicy& p : policies) {
        const BucketTally& tally = p.tallies()[b];
        result.lowest = std::min(result.lowest, tally.lowest);
        result.highest = std::max(result.highest, tally.highest);
        const auto known = tally.scores();
        if (known) scores.insert(scores.end(), known->begin(), known->end());
        else described = false;
    }
    for (const CountPolicy& p : policies) {
        const BucketTally& tally = p.tallies()[b];
        if (tally.lowest == result.lowest) result.at_lowest += tally.at_lowest;
        if (tally.highest == result.highest) result.at_highest += tally.at_highest;
    }
    if (search.harvest && !result.complete) search.harvest->complete = false;
    if (described && result.complete) {
        std::sort(scores.begin(), scores.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
        result.scores.emplace();
        for (const auto& score : scores) {
            if (!result.scores->empty() && result.scores->back().first == score.first) result.scores->back().second += score.second;
            else result.scores->push_back(score);
        }
    }
    return result;
}

}  // namespace mhwopt::engine
