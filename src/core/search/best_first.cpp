// The best-first top N search, and the public entry point that picks it or counting (collect.cpp).
#include "core/search/best_first.hpp"
#include "core/search/counting.hpp"

namespace mhwopt::engine {

Model best_first_model(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       const SkillCurves& curves, std::size_t limit, SearchStats& stats) {
    ModelOptions options;
    options.dominance_limit = limit;
    return build_model(catalogue, scorer, filters, curves, options, stats);
}

std::vector<Ranked> top_n_search(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                 const ResolvedFilters& filters, double min_improvement, SearchStats* stats_out) {
    SearchStats stats;
    const auto start = Clock::now();
    if (request.limit == 0 || catalogue.combination_count() == 0) {
        if (stats_out) *stats_out = stats;
        return {};
    }
    const SkillCurves curves(catalogue, scorer);
    const Model model = best_first_model(catalogue, scorer, filters, curves, request.limit, stats);
    stats.prepare_seconds = seconds_since(start);
    if (model.impossible) {
        if (stats_out) *stats_out = stats;
        return {};
    }
    const auto search_start = Clock::now();
    const Context context{model, curves, catalogue, scorer};
    SharedThreshold shared;
    std::vector<TopNPolicy> policies;
    for (unsigned t = 0; t < std::max(1u, request.threads); ++t)
        policies.emplace_back(request.limit, min_improvement, model, shared, request.cancel);
    explore_in_parallel(context, policies, stats);
    TopN merged(request.limit);
    for (const TopNPolicy& p : policies) merged.merge(p.top());
    stats.search_seconds = seconds_since(search_start);
    if (stats_out) *stats_out = stats;
    return merged.sorted();
}

}  // namespace mhwopt::engine

namespace mhwopt {

// From this many results on, a heap of the best so far costs more than finding the N-th best score
// first by counting and then collecting exactly the sets that reach it.
constexpr std::size_t kCountingFrom = 20000;

std::vector<Ranked> branch_and_bound_top_n(const Catalogue& catalogue, const Scorer& scorer,
                                           const SearchRequest& request, const ResolvedFilters& filters,
                                           SearchStats* stats) {
    if (request.limit >= kCountingFrom) return engine::counting_search(catalogue, scorer, request, filters, CountingTuning{}, stats);
    return engine::top_n_search(catalogue, scorer, request, filters, 0.0, stats);
}

}  // namespace mhwopt
