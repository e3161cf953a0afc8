#pragma once
// Internal: running one policy a thread over the work units (the prefixes of the first depths),
// and the bar threads share.
#include <atomic>
#include <vector>

#include "core/worker_threads.hpp"

#include "core/search/walk.hpp"

namespace mhwopt::engine {

class SharedThreshold {
public:
    double get() const { return value_.load(std::memory_order_relaxed); }
    void raise(double candidate) {
        double current = value_.load(std::memory_order_relaxed);
        while (candidate > current && !value_.compare_exchange_weak(current, candidate, std::memory_order_relaxed)) {}
    }

private:
    std::atomic<double> value_{-kInfinity};
};

// Work units for several threads: every combination of pieces at the first depths, best first.
// `fine`: at least a few dozen units even for one thread, so that progress can be reported.
std::vector<std::vector<std::uint32_t>> prefixes(const Model& model, unsigned threads, bool fine = false);

void add_counters(SearchStats& total, const SearchStats& part);

// Runs policies[t] on thread t over the best-first work units (in any order between threads); the
// calling thread is thread 0, which reports progress after each of its units.
template <typename Policy>
void explore_in_parallel(const Context& context, std::vector<Policy>& policies, SearchStats& stats) {
    Watch* watch = context.watch;
    const bool reporting = watch && watch->wanted();
    const unsigned pass = watch ? watch->start_pass() : 0;
    const auto units = prefixes(context.model, static_cast<unsigned>(policies.size()), reporting);
    std::vector<PartialSet> sets(policies.size(), PartialSet(context));
    std::atomic<std::size_t> next_unit{0}, done{0};
    auto work = [&](std::size_t t) {
        for (std::size_t u; (u = next_unit.fetch_add(1, std::memory_order_relaxed)) < units.size();) {
            sets[t].explore_from(units[u], policies[t]);
            const std::size_t finished = done.fetch_add(1, std::memory_order_relaxed) + 1;
            if (t == 0 && reporting) watch->report(pass, finished, units.size());
        }
    };
    WorkerThreads workers(1, static_cast<unsigned>(policies.size() - 1), work);
    work(0);
    workers.join();
    for (auto& set : sets) add_counters(stats, set.stats());
}

}  // namespace mhwopt::engine
