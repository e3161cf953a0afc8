#pragma once
// What a results report shows, whichever source it came from (a `run` CSV or a saved score run),
// and the few computations on it that are worth testing without a browser: bar fractions, the
// score histogram and how sets moved between two rankings. No I/O here: readers fill a ReportData,
// the HTML writer renders it.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/part.hpp"

namespace mhwopt {

struct ReportSkill {
    std::string name;
    std::optional<double> max;  // the config's max; absent when no config names the skill
};

struct ReportSet {
    std::size_t rank = 0;                        // 1-based, in the source's order
    std::array<std::string, kPartCount> pieces;  // Head..Charm
    std::vector<int> levels;                     // one per ReportData::skills
    std::array<int, kSlotLevels> slots{};
    int defence = 0;
    std::optional<double> score;
    std::string decorations;  // as the source gives them; empty when it gives none
    std::string identity;     // what makes two rankings' sets the same set (an id, or the six names)
};

struct ReportData {
    std::string title;
    std::vector<std::string> facts;  // "source: best.csv", "config: config.json"...: shown under the title
    std::vector<ReportSkill> skills;
    std::vector<ReportSet> sets;     // the sets shown in full, best first
    std::size_t ranked_count = 0;    // all ranked sets of the source (>= sets.size())
    std::vector<double> all_scores;  // of every ranked set, for the histogram; empty when unknown
};

// How much of a skill bar is filled, in [0, 1]: the level against the config's max, or, when the
// config gives none, against the highest level any set in the report reaches.
double bar_fraction(int level, std::optional<double> max, int highest_level);

struct HistogramBin {
    double low = 0.0;   // [low, high); the last bin also holds its high end
    double high = 0.0;
    std::size_t count = 0;
    std::size_t marked = 0;  // of `marked` scores (the sets shown), counted into the same bins
};

// Equal-width bins from the lowest to the highest score; a single bin when all scores are equal.
// `marked` are some of `scores` (those of the sets a page shows), placed as those are.
std::vector<HistogramBin> score_histogram(const std::vector<double>& scores, std::size_t bins, const std::vector<double>& marked = {});

// Whether scores come best first (ties in any order): a results file may be in any order.
bool best_first(const std::vector<double>& scores);

// What a report page draws at most, so that a page stays quick to draw and its size follows the
// file's rather than the numbers in it: sets (--top; 10,000 made an 11 MB page that Chromium took
// 45 s to draw), slot icons a set (then "+N"; a level's slot count is any number), skill bars a set.
constexpr std::size_t kMaxReportSets = 500;
constexpr int kMaxSlotIcons = 24;           // a set with a weapon has at most 18 in the game
constexpr std::size_t kMaxSkillBars = 48;

struct RankMove {
    std::string identity;
    std::optional<std::size_t> rank_before;  // absent: new in the second ranking
    std::optional<std::size_t> rank_after;   // absent: dropped out of it
};

// Every set of either ranking (by identity), in the second ranking's order, then the dropped ones
// in the first's order. Ranks are 1-based positions.
std::vector<RankMove> compare_rankings(const std::vector<std::string>& before, const std::vector<std::string>& after);

}  // namespace mhwopt
