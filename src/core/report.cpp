#include "core/report.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

namespace mhwopt {

double bar_fraction(int level, std::optional<double> max, int highest_level) {
    const double scale = max && *max > 0 ? *max : static_cast<double>(highest_level);
    if (scale <= 0 || level <= 0) return 0.0;
    return std::min(1.0, level / scale);
}

std::vector<HistogramBin> score_histogram(const std::vector<double>& scores, std::size_t bins, const std::vector<double>& marked) {
    std::vector<HistogramBin> out;
    if (scores.empty() || bins == 0) return out;
    const auto [low_it, high_it] = std::minmax_element(scores.begin(), scores.end());
    const double low = *low_it;
    const double high = *high_it;
    if (!(high > low)) return {{low, high, scores.size(), marked.size()}};
    const double width = (high - low) / static_cast<double>(bins);
    out.resize(bins);
    for (std::size_t b = 0; b < bins; ++b) {
        out[b].low = low + width * static_cast<double>(b);
        out[b].high = b + 1 == bins ? high : low + width * static_cast<double>(b + 1);
    }
    // The top score would land one past the end; floating error near an edge may too. A marked
    // score outside [low, high] (not one of `scores`) goes to the nearest end.
    const auto last = static_cast<double>(bins - 1);
    auto bin_of = [&](double s) { return static_cast<std::size_t>(std::clamp(std::floor((s - low) / width), 0.0, last)); };
    for (double s : scores) ++out[bin_of(s)].count;
    for (double s : marked) ++out[bin_of(s)].marked;
    return out;
}

bool best_first(const std::vector<double>& scores) { return std::is_sorted(scores.begin(), scores.end(), std::greater<double>()); }

std::vector<RankMove> compare_rankings(const std::vector<std::string>& before, const std::vector<std::string>& after) {
    std::unordered_map<std::string, std::size_t> rank_before;
    for (std::size_t i = 0; i < before.size(); ++i) rank_before.emplace(before[i], i + 1);
    std::unordered_map<std::string, std::size_t> rank_after;
    std::vector<RankMove> moves;
    for (std::size_t i = 0; i < after.size(); ++i) {
        if (!rank_after.emplace(after[i], i + 1).second) continue;  // a set listed twice counts once
        RankMove move{after[i], std::nullopt, i + 1};
        if (auto it = rank_before.find(after[i]); it != rank_before.end()) move.rank_before = it->second;
        moves.push_back(std::move(move));
    }
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (rank_after.count(before[i]) || rank_before.at(before[i]) != i + 1) continue;
        moves.push_back({before[i], i + 1, std::nullopt});
    }
    return moves;
}

}  // namespace mhwopt
