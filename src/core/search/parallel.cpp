// Work units and counters of the parallel walk (see parallel.hpp).
#include "core/search/parallel.hpp"

#include <algorithm>

namespace mhwopt::engine {

std::vector<std::vector<std::uint32_t>> prefixes(const Model& model, unsigned threads, bool fine) {
    std::size_t depth = 0;
    std::uint64_t count = 1;
    const unsigned share = fine ? std::max(threads, 4u) : threads;
    if (share > 1)
        while (depth < 2 && count < 16ull * share) count *= model.pieces[depth++].size();
    std::vector<std::vector<std::uint32_t>> units;
    units.reserve(count);
    std::vector<std::uint32_t> prefix(depth, 0);
    for (std::uint64_t u = 0; u < count; ++u) {
        std::uint64_t rest = u;
        for (std::size_t d = depth; d-- > 0;) {
            prefix[d] = static_cast<std::uint32_t>(rest % model.pieces[d].size());
            rest /= model.pieces[d].size();
        }
        units.push_back(prefix);
    }
    return units;
}

void add_counters(SearchStats& total, const SearchStats& part) {
    total.nodes_visited += part.nodes_visited;
    total.cut_by_bound += part.cut_by_bound;
    total.cut_by_constraint += part.cut_by_constraint;
    total.combinations_scored += part.combinations_scored;
}

}  // namespace mhwopt::engine
