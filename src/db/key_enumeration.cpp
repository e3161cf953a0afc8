#include "db/key_enumeration.hpp"

#include <algorithm>

namespace mhwopt::db {

namespace {

// The filters reduced to small integers per piece: defence and each required skill's level.
class FilteredWalk {
public:
    FilteredWalk(const Catalogue& catalogue, const ResolvedFilters& filters, KeySink& sink)
        : codec_(catalogue), sink_(sink), min_defence_(filters.min_defence) {
        for (const auto& r : filters.requirements) {
            if (r.min_level <= 0) continue;
            if (!r.skill) impossible_ = true;
            else required_.push_back({*r.skill, r.min_level});
        }
        const std::size_t needs = required_.size() + 1;  // defence first, then each requirement
        for (Part part : kAllParts) {
            const std::size_t p = index_of(part);
            for (std::uint32_t i = 0; i < catalogue.pieces(part).size(); ++i) {
                if (!filters.allowed[p][i]) continue;
                const Piece& piece = catalogue.pieces(part)[i];
                Candidate candidate{i, std::vector<int>(needs, 0)};
                candidate.amounts[0] = piece.defence;
                for (std::size_t r = 0; r < required_.size(); ++r)
                    for (const SkillLevel& s : piece.skills)
                        if (s.skill == required_[r].skill) candidate.amounts[r + 1] += s.level;
                candidates_[p].push_back(std::move(candidate));
            }
            if (candidates_[p].empty()) impossible_ = true;
        }
        // best_after_[p][n]: the most the parts after p can still add to need n.
        for (std::size_t p = kPartCount; p-- > 0;) {
            best_after_[p].assign(needs, 0);
            if (p + 1 < kPartCount)
                for (std::size_t n = 0; n < needs; ++n) {
                    int best = 0;
                    for (const Candidate& c : candidates_[p + 1]) best = std::max(best, c.amounts[n]);
                    best_after_[p][n] = best_after_[p + 1][n] + best;
                }
        }
        targets_.push_back(min_defence_);
        for (const auto& r : required_) targets_.push_back(r.min_level);
        sums_.assign(kPartCount + 1, std::vector<int>(needs, 0));
    }

    void run(CombinationKey from) {
        if (impossible_ || from >= codec_.count()) return;
        start_ = codec_.decode(from);
        walk(0, true);
    }

private:
    struct Requirement {
        SkillId skill;
        int min_level;
    };
    struct Candidate {
        std::uint32_t position;
        std::vector<int> amounts;
    };

    void walk(std::size_t depth, bool on_start_path) {
        const auto& candidates = candidates_[depth];
        const std::vector<int>& before = sums_[depth];
        std::vector<int>& after = sums_[depth + 1];
        for (const Candidate& c : candidates) {
            if (on_start_path && c.position < start_[depth]) continue;
            const bool still_on_start = on_start_path && c.position == start_[depth];
            bool reachable = true;
            for (std::size_t n = 0; n < targets_.size(); ++n) {
                after[n] = before[n] + c.amounts[n];
                reachable &= after[n] + best_after_[depth][n] >= targets_[n];
            }
            if (!reachable) continue;
            positions_[depth] = c.position;
            if (depth + 1 == kPartCount) sink_.accept(codec_.encode(positions_));
            else walk(depth + 1, still_on_start);
        }
    }

    KeyCodec codec_;
    KeySink& sink_;
    int min_defence_;
    bool impossible_ = false;
    std::vector<Requirement> required_;
    std::array<std::vector<Candidate>, kPartCount> candidates_;
    std::array<std::vector<int>, kPartCount> best_after_;
    std::vector<int> targets_;
    std::vector<std::vector<int>> sums_;
    Positions start_{};
    Positions positions_{};
};

}  // namespace

bool allows_everything(const ResolvedFilters& filters) {
    if (filters.min_defence > 0) return false;
    for (const auto& r : filters.requirements)
        if (r.min_level > 0) return false;
    for (const auto& part : filters.allowed)
        if (std::find(part.begin(), part.end(), false) != part.end()) return false;
    return true;
}

void enumerate_keys(const Catalogue& catalogue, const ResolvedFilters& filters, CombinationKey from, KeySink& sink) {
    if (allows_everything(filters)) {
        const std::uint64_t count = KeyCodec(catalogue).count();
        for (CombinationKey key = from; key < count; ++key) sink.accept(key);
        return;
    }
    FilteredWalk(catalogue, filters, sink).run(from);
}

}  // namespace mhwopt::db
