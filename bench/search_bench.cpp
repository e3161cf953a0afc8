// Times one exact top-N search the way `mhwopt run` would do it (load included) and prints what the
// engine did. Built by bench_search.sh against a build directory's libraries.
//   search_bench EQUIPMENT.csv CONFIG.json LIMIT THREADS [bnb|exhaustive]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/branch_and_bound.hpp"
#include "io/config_reader.hpp"
#include "io/equipment_reader.hpp"

int main(int argc, char** argv) {
    using namespace mhwopt;
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s EQUIPMENT.csv CONFIG.json LIMIT THREADS [bnb|exhaustive]\n", argv[0]);
        return 64;
    }
    const auto start = std::chrono::steady_clock::now();
    const WarningSink quiet = [](const std::string&) {};
    const Catalogue catalogue = read_equipment_file(argv[1], quiet);
    Config config = read_config_file(argv[2], quiet);
    const auto loaded = std::chrono::steady_clock::now();
    const Scorer scorer(catalogue, config);
    SearchRequest request;
    request.limit = std::strtoull(argv[3], nullptr, 10);
    request.threads = static_cast<unsigned>(std::strtoul(argv[4], nullptr, 10));
    const bool exhaustive = argc > 5 && std::string(argv[5]) == "exhaustive";
    const ResolvedFilters filters = resolve_filters(catalogue, Filters{});
    SearchStats stats;
    const auto best = exhaustive ? exhaustive_top_n(catalogue, scorer, request, filters)
                                 : branch_and_bound_top_n(catalogue, scorer, request, filters, &stats);
    const auto done = std::chrono::steady_clock::now();
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    std::printf("combinations %.3g  results %zu  best %.6f  last %.6f\n", static_cast<double>(catalogue.combination_count()),
                best.size(), best.empty() ? 0.0 : best.front().score, best.empty() ? 0.0 : best.back().score);
    std::printf("load %.1f ms  prepare %.1f ms  search %.1f ms  total %.1f ms\n", ms(start, loaded),
                stats.prepare_seconds * 1e3, stats.search_seconds * 1e3, ms(start, done));
    if (!exhaustive) {
        std::printf("nodes %llu  cut by bound %llu  scored %llu  removed by dominance",
                    static_cast<unsigned long long>(stats.nodes_visited),
                    static_cast<unsigned long long>(stats.cut_by_bound),
                    static_cast<unsigned long long>(stats.combinations_scored));
        for (Part part : kAllParts)
            std::printf(" %s %zu/%zu", std::string(part_name(part)).c_str(), stats.removed_by_dominance[index_of(part)],
                        stats.pieces[index_of(part)]);
        std::printf("\n");
    }
    return 0;
}
