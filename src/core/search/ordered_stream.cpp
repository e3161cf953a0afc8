// Ordered streaming: the sets at or above a score, in key order, with memory bounded by a few
// (head, body) blocks a thread (for_each_at_least, both for_each_in_top_n).
#include <condition_variable>
#include <deque>
#include <mutex>

#include "core/search/best_first.hpp"
#include "core/search/counting.hpp"
#include "core/worker_threads.hpp"

namespace mhwopt::engine {

namespace {

// What an ordered stream lets through: sets scoring >= min_score (> once `strict` is set) that `last`
// does not exclude; in one work unit at most ties_per_unit sets at exactly min_score (the first in
// key order), the consumer taking no more ties than that in all.
struct StreamLimits {
    double min_score = -kInfinity;
    std::optional<Ranked> last;
    std::uint64_t ties_per_unit = std::numeric_limits<std::uint64_t>::max();
    const std::atomic<bool>* strict = nullptr;    // set by the sink: only scores above min_score from now on
    const std::atomic<bool>* finished = nullptr;  // set by the sink: nothing more
    const std::atomic<bool>* cancel = nullptr;
};

// Streams, in key order, what `limits` lets through. Leaf parents emit their leaves in key order,
// the model being in key order.
template <typename Emit>
class OrderedPolicy {
public:
    static constexpr bool kBestFirst = false;
    OrderedPolicy(const StreamLimits& limits, const Model& model, Emit emit)
        : limits_(limits), above_min_(std::nextafter(limits.min_score, kInfinity)), slack_(model.slack),
          exact_(model.exact_step > 0), emit_(std::move(emit)) {}

    bool stopped() const { return raised(limits_.finished) || raised(limits_.cancel); }
    double floor() const { return minimum() - slack_; }
    // Of the ties at `last`, only those up to its key are wanted.
    bool tie_cut(double bound, CombinationKey least_key) const {
        return exact_ && limits_.last && bound <= limits_.last->score && least_key > limits_.last->key;
    }
    void leaf(const PartialSet&, std::uint32_t index, double score) {
        if (score >= minimum()) passed_.push_back({score, index});
    }
    void leaves_done(const PartialSet& set) {
        std::sort(passed_.begin(), passed_.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
        for (const Ranked& r : passed_) {
            const CombinationKey key = set.leaf_key(static_cast<std::uint32_t>(r.key));
            if (limits_.last && r.score == limits_.last->score && key > limits_.last->key) continue;
            if (r.score == limits_.min_score && ++ties_in_unit_ >= limits_.ties_per_unit) strict_in_unit_ = true;
            emit_(key, r.score);
        }
        passed_.clear();
    }
    // A new work unit: its own count of ties.
    void start_unit() {
        ties_in_unit_ = 0;
        strict_in_unit_ = false;
    }

private:
    static bool raised(const std::atomic<bool>* flag) { return flag && flag->load(std::memory_order_relaxed); }
    // The sink takes the first ties in key order; once a unit has emitted that many, any later tie of
    // the unit follows them, so only higher scores are still wanted from it.
    double minimum() const { return strict_in_unit_ || raised(limits_.strict) ? above_min_ : limits_.min_score; }

    StreamLimits limits_;
    double above_min_;
    double slack_;
    bool exact_;
    Emit emit_;
    std::vector<Ranked> passed_;  // of the current leaf parent; key holds the leaf's index
    std::uint64_t ties_in_unit_ = 0;
    bool strict_in_unit_ = false;
};

template <typename Emit>
OrderedPolicy<Emit> ordered_policy(const StreamLimits& limits, const Model& model, Emit emit) {
    return OrderedPolicy<Emit>(limits, model, std::move(emit));
}

// Units of (head, body) in key order, run by `threads` workers at most a window ahead of the
// consumer, which passes their rows to `sink` on the calling thread and reports progress.
void stream_ordered(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                    const StreamLimits& limits, unsigned threads, const CombinationSink& sink, SearchStats* stats_out,
                    Watch* watch) {
    SearchStats stats;
    const auto start = Clock::now();
    const SkillCurves curves(catalogue, scorer);
    ModelOptions options;
    options.key_order = true;
    const Model model = build_model(catalogue, scorer, filters, curves, options, stats);
    stats.prepare_seconds = seconds_since(start);
    const auto search_start = Clock::now();
    if (model.impossible || catalogue.combination_count() == 0) {
        if (stats_out) *stats_out = stats;
        return;
    }
    const Context context{model, curves, catalogue, scorer, watch};
    threads = std::max(1u, threads);
    // Blocks of (head, body) in key order; workers run ahead of the consumer by at most `window`
    // blocks, so memory is bounded by the largest few blocks' results, not by their total.
    std::vector<std::vector<std::uint32_t>> units;
    for (std::uint32_t h = 0; h < model.pieces[0].size(); ++h)
        for (std::uint32_t b = 0; b < model.pieces[1].size(); ++b) units.push_back({h, b});
    const unsigned pass = watch ? watch->start_pass() : 0;
    if (threads == 1) {
        PartialSet set(context);
        auto policy = ordered_policy(limits, model, [&](CombinationKey key, double score) { sink(key, score); });
        for (std::size_t unit = 0; unit < units.size() && !policy.stopped(); ++unit) {
            policy.start_unit();
            set.explore_from(units[unit], policy);
            if (watch) watch->report(pass, unit + 1, units.size());
        }
        add_counters(stats, set.stats());
        stats.search_seconds = seconds_since(search_start);
        if (stats_out) *stats_out = stats;
        return;
    }
    // Two blocks a thread: the best blocks of a top ten million hold hundreds of thousands of sets each,
    // and the consumer (a database insert) is the slower side anyway.
    const std::size_t window = 2 * static_cast<std::size_t>(threads);
    // Chunks, not one array: a block's rows take their own size, without a doubling's slack or the
    // copy of a reallocation, whatever the size of the block (up to 312,872 rows in the whole game).
    using Rows = std::deque<Ranked>;
    struct Slot {
        bool ready = false;
        Rows rows;
    };
    std::vector<Slot> slots(window);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next_unit = 0, consumed = 0;
    bool stop = false;

    std::vector<PartialSet> sets(threads, PartialSet(context));
    auto work = [&](PartialSet& set) {
        Rows rows;
        auto policy = ordered_policy(limits, model, [&](CombinationKey key, double score) { rows.push_back({score, key}); });
        for (;;) {
            std::size_t unit;
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return stop || next_unit >= units.size() || next_unit < consumed + window; });
                if (stop || next_unit >= units.size()) return;
                unit = next_unit++;
            }
            rows.clear();
            policy.start_unit();
            set.explore_from(units[unit], policy);
            std::lock_guard<std::mutex> lock(mutex);
            slots[unit % window].rows.swap(rows);
            slots[unit % window].ready = true;
            changed.notify_all();
        }
    };
    WorkerThreads workers(0, threads, [&](unsigned t) { work(sets[t]); });
    auto stop_workers = [&] {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stop = true;
        }
        changed.notify_all();
        workers.join();
    };
    try {
        Rows rows;
        for (std::size_t unit = 0; unit < units.size(); ++unit) {
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return slots[unit % window].ready; });
                rows.swap(slots[unit % window].rows);
                slots[unit % window].ready = false;
                consumed = unit + 1;
            }
            changed.notify_all();
            for (const Ranked& r : rows) sink(r.key, r.score);
            // Released, not cleared: vectors kept their capacity as they went round the slots, until
            // every buffer was as large as the largest block (83% of the heap of a top ten million
            // on 2 threads, 49 MB).
            Rows().swap(rows);
            if (watch) watch->report(pass, unit + 1, units.size());
            if ((limits.finished && limits.finished->load()) || (limits.cancel && limits.cancel->load())) break;
        }
    } catch (...) {
        stop_workers();
        throw;
    }
    stop_workers();
    for (auto& set : sets) add_counters(stats, set.stats());
    stats.search_seconds = seconds_since(search_start);
    if (stats_out) *stats_out = stats;
}

}  // namespace

}  // namespace mhwopt::engine

namespace mhwopt {

using namespace engine;

void for_each_at_least(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       double min_score, unsigned threads, const CombinationSink& sink, SearchStats* stats,
                       const SearchControl& control) {
    StreamLimits limits;
    limits.min_score = min_score;
    limits.cancel = control.cancel;
    Watch watch{&control};
    stream_ordered(catalogue, scorer, filters, limits, threads, sink, stats, &watch);
}

void for_each_in_top_n(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       const Ranked& last, unsigned threads, const CombinationSink& sink, SearchStats* stats,
                       const SearchControl& control) {
    StreamLimits limits;
    limits.min_score = last.score;
    limits.last = last;
    limits.cancel = control.cancel;
    Watch watch{&control};
    stream_ordered(catalogue, scorer, filters, limits, threads, sink, stats, &watch);
}

void for_each_in_top_n(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       std::size_t n, unsigned threads, const CombinationSink& sink, SearchStats* stats_out,
                       const CountingTuning& tuning, const SearchControl& control) {
    SearchStats stats;
    if (n == 0 || catalogue.combination_count() == 0) {
        if (stats_out) *stats_out = stats;
        return;
    }
    threads = std::max(1u, threads);
    Watch watch{&control};
    std::optional<NthScore> nth;
    {
        const auto start = Clock::now();
        const SkillCurves curves(catalogue, scorer);
        const Model model = best_first_model(catalogue, scorer, filters, curves, n, stats);
        stats.prepare_seconds = seconds_since(start);
        if (model.impossible) {
            if (stats_out) *stats_out = stats;
            return;
        }
        const auto search_start = Clock::now();
        nth = nth_best_score(Context{model, curves, catalogue, scorer, &watch}, NthSearch{n, threads, control.cancel, tuning},
                             stats);
        stats.search_seconds = seconds_since(search_start);
    }
    if (control.cancel && control.cancel->load()) {
        if (stats_out) *stats_out = stats;
        return;
    }
    SearchStats streaming;
    StreamLimits limits;
    limits.cancel = control.cancel;
    if (!nth) {  // fewer passing sets than asked: all of them
        stream_ordered(catalogue, scorer, filters, limits, threads, sink, &streaming, &watch);
    } else {
        // Of the ties at the N-th score, the first in key order are in; once they are all out, only
        // higher scores are, and once n sets are out, nothing more.
        std::uint64_t ties_left = n - nth->above, emitted = 0;
        std::atomic<bool> ties_done{false}, finished{false};
        limits.min_score = nth->score;
        limits.ties_per_unit = ties_left;
        limits.strict = &ties_done;
        limits.finished = &finished;
        stream_ordered(catalogue, scorer, filters, limits, threads,
                       [&](CombinationKey key, double score) {
                           if (finished.load(std::memory_order_relaxed)) return;
                           if (score == nth->score) {
                               if (ties_left == 0) return;
                               if (--ties_left == 0) ties_done = true;
                           }
                           sink(key, score);
                           if (++emitted == n) finished = true;
                       },
                       &streaming, &watch);
    }
    add_counters(stats, streaming);
    stats.search_seconds += streaming.search_seconds;
    if (stats_out) *stats_out = stats;
}

}  // namespace mhwopt
