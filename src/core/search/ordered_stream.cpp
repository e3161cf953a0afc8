// Ordered streaming: the sets at or above a score, in key order, with memory bounded by a few
// (head, body) blocks a thread (for_each_at_least, both for_each_in_top_n).
#include <condition_variable>
#include <mutex>

#include "core/search/best_first.hpp"
#include "core/search/counting.hpp"

namespace mhwopt::engine {

namespace {

// Streams, in key order, the sets whose score is >= min_score (> once `strict` is set) that `last`
// does not exclude. Leaf parents emit their leaves in key order, the model being in key order.
template <typename Emit>
class OrderedPolicy {
public:
    static constexpr bool kBestFirst = false;
    OrderedPolicy(double min_score, const std::optional<Ranked>& last, double slack, const std::atomic<bool>* strict,
                  const std::atomic<bool>* finished, Emit emit)
        : min_score_(min_score), above_min_(std::nextafter(min_score, kInfinity)), last_(last), slack_(slack),
          strict_(strict), finished_(finished), emit_(std::move(emit)) {}

    bool stopped() const { return finished_ && finished_->load(std::memory_order_relaxed); }
    double floor() const { return minimum() - slack_; }
    void leaf(const PartialSet&, std::uint32_t index, double score) {
        if (score >= minimum()) passed_.push_back({score, index});
    }
    void leaves_done(const PartialSet& set) {
        std::sort(passed_.begin(), passed_.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
        for (const Ranked& r : passed_) {
            const CombinationKey key = set.leaf_key(static_cast<std::uint32_t>(r.key));
            if (last_ && r.score == last_->score && key > last_->key) continue;
            emit_(key, r.score);
        }
        passed_.clear();
    }

private:
    double minimum() const { return strict_ && strict_->load(std::memory_order_relaxed) ? above_min_ : min_score_; }

    double min_score_, above_min_;
    std::optional<Ranked> last_;
    double slack_;
    const std::atomic<bool>* strict_;
    const std::atomic<bool>* finished_;
    Emit emit_;
    std::vector<Ranked> passed_;  // of the current leaf parent; key holds the leaf's index
};

template <typename Emit>
OrderedPolicy<Emit> ordered_policy(double min_score, const std::optional<Ranked>& last, double slack,
                                   const std::atomic<bool>* strict, const std::atomic<bool>* finished, Emit emit) {
    return OrderedPolicy<Emit>(min_score, last, slack, strict, finished, std::move(emit));
}

// `strict` (optional) may be set by the sink to ask for scores above min_score only from then on,
// and `finished` to stop.
void stream_ordered(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                    double min_score, const std::optional<Ranked>& last, unsigned threads,
                    const CombinationSink& sink, SearchStats* stats_out, const std::atomic<bool>* strict = nullptr,
                    const std::atomic<bool>* finished = nullptr) {
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
    const Context context{model, curves, catalogue, scorer};
    threads = std::max(1u, threads);
    if (threads == 1) {
        PartialSet set(context);
        auto policy = ordered_policy(min_score, last, model.slack, strict, finished,
                                     [&](CombinationKey key, double score) { sink(key, score); });
        set.explore_from({}, policy);
        add_counters(stats, set.stats());
        stats.search_seconds = seconds_since(search_start);
        if (stats_out) *stats_out = stats;
        return;
    }

    // Blocks of (head, body) in key order; workers run ahead of the consumer by at most `window`
    // blocks, so memory is bounded by the largest few blocks' results, not by their total.
    std::vector<std::vector<std::uint32_t>> units;
    for (std::uint32_t h = 0; h < model.pieces[0].size(); ++h)
        for (std::uint32_t b = 0; b < model.pieces[1].size(); ++b) units.push_back({h, b});
    // Two blocks a thread: the best blocks of a top ten million hold hundreds of thousands of sets each,
    // and the consumer (a database insert) is the slower side anyway.
    const std::size_t window = 2 * static_cast<std::size_t>(threads);
    struct Slot {
        bool ready = false;
        std::vector<Ranked> rows;
    };
    std::vector<Slot> slots(window);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next_unit = 0, consumed = 0;
    bool stop = false;

    std::vector<PartialSet> sets(threads, PartialSet(context));
    auto work = [&](PartialSet& set) {
        std::vector<Ranked> rows;
        auto policy = ordered_policy(min_score, last, model.slack, strict, finished,
                                     [&](CombinationKey key, double score) { rows.push_back({score, key}); });
        for (;;) {
            std::size_t unit;
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return stop || next_unit >= units.size() || next_unit < consumed + window; });
                if (stop || next_unit >= units.size()) return;
                unit = next_unit++;
            }
            rows.clear();
            set.explore_from(units[unit], policy);
            std::lock_guard<std::mutex> lock(mutex);
            slots[unit % window].rows.swap(rows);
            slots[unit % window].ready = true;
            changed.notify_all();
        }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) workers.emplace_back(work, std::ref(sets[t]));
    auto stop_workers = [&] {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stop = true;
        }
        changed.notify_all();
        for (auto& worker : workers) worker.join();
    };
    try {
        std::vector<Ranked> rows;
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
            rows.clear();
            if (finished && finished->load()) break;
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
                       double min_score, unsigned threads, const CombinationSink& sink, SearchStats* stats) {
    stream_ordered(catalogue, scorer, filters, min_score, std::nullopt, threads, sink, stats);
}

void for_each_in_top_n(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       const Ranked& last, unsigned threads, const CombinationSink& sink, SearchStats* stats) {
    stream_ordered(catalogue, scorer, filters, last.score, last, threads, sink, stats);
}

void for_each_in_top_n(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       std::size_t n, unsigned threads, const CombinationSink& sink, SearchStats* stats_out,
                       const CountingTuning& tuning) {
    SearchStats stats;
    if (n == 0 || catalogue.combination_count() == 0) {
        if (stats_out) *stats_out = stats;
        return;
    }
    threads = std::max(1u, threads);
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
        nth = nth_best_score(Context{model, curves, catalogue, scorer}, NthSearch{n, threads, nullptr, tuning}, stats);
        stats.search_seconds = seconds_since(search_start);
    }
    SearchStats streaming;
    if (!nth) {  // fewer passing sets than asked: all of them
        stream_ordered(catalogue, scorer, filters, -kInfinity, std::nullopt, threads, sink, &streaming);
    } else {
        // Of the ties at the N-th score, the first in key order are in; once they are all out, only
        // higher scores are, and once n sets are out, nothing more.
        std::uint64_t ties_left = n - nth->above, emitted = 0;
        std::atomic<bool> ties_done{false}, finished{false};
        stream_ordered(catalogue, scorer, filters, nth->score, std::nullopt, threads,
                       [&](CombinationKey key, double score) {
                           if (finished.load(std::memory_order_relaxed)) return;
                           if (score == nth->score) {
                               if (ties_left == 0) return;
                               if (--ties_left == 0) ties_done = true;
                           }
                           sink(key, score);
                           if (++emitted == n) finished = true;
                       },
                       &streaming, &ties_done, &finished);
    }
    add_counters(stats, streaming);
    stats.search_seconds += streaming.search_seconds;
    if (stats_out) *stats_out = stats;
}

}  // namespace mhwopt
