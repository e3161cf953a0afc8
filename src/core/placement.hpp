#pragma once
// The exact decoration placement of issue 10: for one set's raw totals (pieces, set bonuses and
// the weapon's slots), the placement of decorations into its slots with the best
//   score(S, P) = Σ_s t_s·(t_s > max_s ? penalty_s : weight_s) + Σ_l e_l·deco_l + (Σ_l e_l)·num_decos
//                 + defence·defence_weight
// among those meeting every --require, where t_s is capped at the game maximum when the catalogue
// has one and e_l counts the empty slots of level l.
//
// Two facts make it small. Which slot a decoration takes matters only through the empty slots'
// value, and for a given multiset of decorations, placing the largest first into the least valuable
// slot that holds it is optimal (an exchange argument: the largest has the fewest slots to choose
// from, and any smaller one it displaces fits where it came from). So the search enumerates
// multisets, largest decorations first, and the slots follow. And a decoration whose skills could add
// at most what the least valuable slot it fits earns empty is never needed, so for usual configs
// only the few decorations of heavily weighted skills are searched.
#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/catalogue.hpp"
#include "core/combination.hpp"
#include "core/filters.hpp"
#include "core/requirement_cover.hpp"
#include "core/scorer.hpp"

namespace mhwopt {

// A set's totals before decorations: the pieces' slots plus the weapon's, defence, and the pieces'
// skills plus the active set-bonus skills (level 1 each), merged and sorted by id. Levels are not
// capped yet.
void raw_totals_of(const Catalogue& catalogue, const Positions& positions, const WeaponSlots& weapon, Totals& out);

struct Placement {
    bool feasible = false;   // some placement meets every requirement
    double score = 0.0;      // Scorer::score of `totals` with `empty` as its slots
    std::vector<std::pair<std::uint32_t, int>> decorations;  // (index in the list, how many), by index
    std::array<int, kSlotLevels> empty{};  // slots left empty, by level
    Totals totals;           // slots = empty; skills = t_s (capped), including set bonuses and decorations
};

// What does not depend on the set: the decorations grouped and ordered, and per skill the most any
// added level can be worth. Shared read-only between threads.
class PlacementModel {
public:
    PlacementModel(const Catalogue& catalogue, const Scorer& scorer, std::vector<Decoration> decorations,
                   const std::vector<ResolvedFilters::Requirement>& requirements);

    const std::vector<Decoration>& decorations() const { return decorations_; }
    const Catalogue& catalogue() const { return catalogue_; }
    const Scorer& scorer() const { return scorer_; }
    // Whether the secret skill of `skill` (if any) is active at these raw levels, and the cap then.
    std::optional<int> cap(SkillId skill, const std::vector<int>& raw_levels) const;
    // The most each added level of `skill` can be worth from raw level `level` on, within what one
    // set's slots could add: max over chords of the capped value function. Never increases with level.
    double best_gain_per_level(SkillId skill, int level, bool secret_active) const {
        const auto& table = gain_tables_[skill][secret_active ? 1 : 0];
        if (level >= 0 && static_cast<std::size_t>(level) < table.size()) return table[static_cast<std::size_t>(level)];
        return gain_beyond_table(skill, level, secret_active);
    }
    int most_levels_added() const { return most_levels_added_; }
    // The value of a skill at a raw level: the config's term at the level capped by the game maximum.
    // Read from a table for the levels a set can reach: the solver asks it at every node.
    double value(SkillId skill, int raw_level, bool secret_active) const {
        const std::vector<double>& table = value_tables_[skill * 2 + (secret_active ? 1 : 0)];
        if (raw_level >= 0 && static_cast<std::size_t>(raw_level) < table.size()) return table[static_cast<std::size_t>(raw_level)];
        return value_directly(skill, raw_level, secret_active);
    }
    std::optional<SkillId> secret_of(SkillId skill) const { return secret_of_[skill]; }

    struct Group {  // decorations with the same size and skills, counted together
        int size;
        std::vector<SkillLevel> skills;
        std::vector<std::uint32_t> members;  // indices into decorations(), in list order
        int count;                           // total owned; kUnlimited if any member is unlimited
    };
    static constexpr int kUnlimited = 1 << 30;
    const std::vector<Group>& groups() const { return groups_; }  // largest size first

    // What the solver searches. The game pairs each weighted skill with a score of "filler" skills
    // ("Airborne/Attack", "Bombardier/Attack", ...): skills scored one point a level up to their game
    // maximum, required by nothing and carried only at level 1 beside one other part. Groups that differ
    // only in their filler are one search group carrying the pseudo-skill kFiller instead; which
    // fillers the chosen ones get is a matching (PlacementSolver::matched_fillers), so the search
    // never tries twenty equal ways to add one Attack Boost.
    struct SearchGroup {
        int size;
        std::vector<SkillLevel> skills;  // may include filler_skill()
        int count;
        std::uint32_t group;             // the real group, when fillers is empty
        std::vector<std::pair<SkillId, std::uint32_t>> fillers;  // (filler skill, real group), in group order
    };
    const std::vector<SearchGroup>& search_groups() const { return search_groups_; }  // largest size first
    SkillId filler_skill() const { return filler_skill_; }
    const std::vector<ResolvedFilters::Requirement>& requirements() const { return requirements_; }
    // The requirements seen together with the slots that would meet them (core/requirement_cover.hpp).
    const RequirementCover& cover() const { return cover_; }

private:
    friend class PlacementSolver;

    const Catalogue& catalogue_;
    const Scorer& scorer_;
    std::vector<Decoration> decorations_;
    std::vector<Group> groups_;
    std::vector<SearchGroup> search_groups_;
    SkillId filler_skill_ = 0;   // one past the catalogue's skills
    std::size_t skills_ = 0;     // per-skill tables' size: the catalogue's skills and the filler
    std::vector<char> filler_;   // by skill
    void find_fillers();
    std::vector<ResolvedFilters::Requirement> requirements_;
    RequirementCover cover_{{}, {}};
    std::vector<std::optional<SkillId>> secret_of_;  // by skill
    int most_levels_added_ = 0;
    int deco_level_ = 0;  // the most levels of one skill one decoration has  // by the decorations of one set: slots × the largest decoration level
    double value_directly(SkillId skill, int raw_level, bool secret_active) const;
    double gain_beyond_table(SkillId skill, int level, bool secret_active) const;
    // value_tables_[skill·2 + secret_active][level]: value() for the levels a set can reach.
    std::vector<std::vector<double>> value_tables_;
    // gain_tables_[skill][secret_active][level]: best_gain_per_level for levels up to the table's end.
    std::vector<std::array<std::vector<double>, 2>> gain_tables_;
    // The solver's multiplier bound (see PlacementSolver::search): for each lambda, mu_s = min(lambda,
    // steepest gain of s), and room_[(skill·2 + secret)·lambdas + lambda][L] = max over 0 <= y <= most_levels_added
    // of value(L + y) - mu_s·y, minus value(L), for the skills decorations carry.
    static constexpr std::size_t kMaxLambdas = 6;
    std::vector<double> lambdas_;  // at most kMaxLambdas
    std::vector<std::vector<double>> mu_;  // [lambda][skill]
    std::vector<std::vector<double>> room_;  // one flat index: the search reads it for every child
    double room(std::size_t lambda, SkillId skill, bool secret, int level) const {
        const std::vector<double>& table = room_[(skill * 2 + (secret ? 1 : 0)) * lambdas_.size() + lambda];
        if (level >= 0 && static_cast<std::size_t>(level) < table.size()) return table[static_cast<std::size_t>(level)];
        return room_beyond_table(lambda, skill, secret, level);
    }
    double room_beyond_table(std::size_t lambda, SkillId skill, bool secret, int level) const;
};

// The multipliers a bound tries: the candidates sorted, without repeats, and thinned evenly to at
// most `most` (the smallest and largest kept). Shared by the placement solver and the decorated search.
std::vector<double> spread_multipliers(std::vector<double> candidates, std::size_t most);

// Solves placements for one set at a time; holds scratch space, so one per thread.
class PlacementSolver {
public:
    // `cancel`: when it becomes true, a solve in progress stops within a few thousand nodes (its
    // result is then meaningless; the search that asked is being abandoned). One solve can take
    // long where many decorations are interchangeable, so Ctrl-C must reach inside it.
    explicit PlacementSolver(const PlacementModel& model, const std::atomic<bool>* cancel = nullptr);

    // `raw`: from raw_totals_of. Returns false (and leaves `out` with feasible = false) when no
    // placement meets the requirements. `out` may be null when only the score is wanted.
    bool solve(const Totals& raw, Placement* out);
    // The same, for a search that only needs sets scoring at least `at_least` (Scorer::score): a set
    // whose every placement scores less may be reported infeasible, which lets the solve stop as
    // soon as its bound falls below. Sets at or above it get their exact best placement.
    bool solve(const Totals& raw, Placement* out, double at_least);
    // The best score, or -inf when infeasible.
    double best_score(const Totals& raw, double at_least = -std::numeric_limits<double>::infinity());

    std::uint64_t nodes() const { return nodes_; }

private:
    struct Candidate {
        std::uint32_t group;
        int size;
        double optimistic;  // Σ level × best gain per level at the set's raw levels
    };
    void search(std::size_t first, double value);
    bool requirements_reachable(std::size_t first) const;
    bool requirements_met() const;
    int slot_for(int size) const;
    // How many of the filler-carrying decorations on the stack can get a filler still below its
    // maximum (a bipartite matching; the search counted every one). `assign`: which real group each
    // gets, by stack position.
    int matched_fillers(const std::vector<std::uint32_t>& stack, std::vector<std::uint32_t>* assign);
    bool augment(std::size_t unit);
    bool all_fillers_matched(const std::vector<std::uint32_t>& stack);
    void prepare_bounds();
    void run_search(bool relaxed, double above);
    bool cache_key();

    // Relaxed solves by cache_key(), per solver (so per thread). Bounded: emptied when full, as
    // neighbouring sets of the search share keys far more than distant ones.
    // complete: the relaxed search ran to the end (found says whether any placement meets the
    // requirements); otherwise it only showed that no placement is worth more than `value`.
    struct CachedSolve {
        bool complete;
        bool found;
        double value;
        std::vector<std::uint32_t> stack;
        std::array<int, kSlotLevels> remaining;
    };
    class SolveCache {
    public:
        const CachedSolve* find(const std::string& key) const {
            const auto it = entries_.find(key);
            return it == entries_.end() ? nullptr : &it->second;
        }
        void store(const std::string& key, CachedSolve solve) {
            if (entries_.size() >= kEntries) entries_.clear();
            entries_.emplace(key, std::move(solve));
        }
    private:
        static constexpr std::size_t kEntries = 1 << 15;
        std::unordered_map<std::string, CachedSolve> entries_;
    };
    SolveCache cache_;
    std::string key_;
    bool relaxed_ = false;
    double threshold_ = -std::numeric_limits<double>::infinity();  // placements must be worth more
    double skill_delta(SkillId skill, int levels);

    const PlacementModel& model_;
    std::vector<int> levels_;           // raw level by skill id, for the skills touched
    std::vector<char> secret_active_;   // by skill id: its secret skill is active for this set
    std::vector<SkillId> touched_;
    std::vector<Candidate> candidates_;
    std::vector<double> suffix_best_;   // max optimistic over candidates i.. (all of size <= candidates_[i].size)
    std::array<std::size_t, kSlotLevels + 1> first_fitting_{};  // first candidate of size <= l, by l
    std::array<int, kSlotLevels> remaining_{};
    std::array<double, kSlotLevels> empty_value_{};  // deco_l + num_decos
    std::vector<int> used_;             // by group
    std::vector<std::uint32_t> stack_;  // groups placed, in order
    std::vector<std::uint32_t> best_stack_;
    std::array<int, kSlotLevels> best_remaining_{};
    bool found_ = false;
    double best_value_ = 0.0;
    struct ReqState { SkillId skill; int min_level; std::optional<int> cap; std::array<int, kSlotLevels> most_by_size; };
    std::vector<ReqState> requirements_;
    std::vector<int> deficits_;              // by requirement: levels still missing at the current node
    int filler_units_ = 0;                   // decorations on the stack that carry the filler
    std::vector<int> filler_room_;           // by skill: levels a filler can still take below its maximum
    std::vector<std::uint32_t> units_;       // matching scratch: search group of each filler unit
    std::vector<int> unit_filler_;           // by unit: the index in its group's fillers, or -1
    std::vector<int> filler_load_;           // by skill: units matched to it
    std::vector<unsigned> visited_;          // by skill: the augmenting search's mark
    unsigned visit_ = 0;
    std::vector<std::uint32_t> real_stack_;  // the best placement's real groups
    std::vector<int> real_used_;             // by real group
    std::uint64_t nodes_ = 0;
    const std::atomic<bool>* cancel_ = nullptr;
    bool cancelled_ = false;
    // The multiplier bound's state: per lambda, Σ room over the candidates' skills at the current
    // levels (one array per placed decoration, as a stack), and per candidate index and slot level
    // the best decoration value at mu among candidates from that index on.
    std::vector<double> room_sums_;        // [depth][lambda]
    std::vector<double> slot_best_;        // [(candidate · kSlotLevels + level) · lambdas + lambda]
    std::vector<char> candidate_skill_;    // by skill: carried by a candidate
    std::vector<SkillId> candidate_skills_;
    std::size_t depth_ = 0;
    bool multipliers_ = false;
 // the multiplier bound holds: this set's slots add no more than the tables cover
};

}  // namespace mhwopt
