#pragma once
// Internal: the search model. The catalogue's allowed pieces flattened for the hot loops (FlatPiece),
// the parts in search order, and what the parts not chosen yet can still add (reach), from which the
// walk (walk.hpp) bounds every partial set.
//
// Extension points for the game model (decorations placed into slots, set bonuses, weapon slots):
// - A complete set's score is made in one place, PartialSet::exact_score (walk.cpp): per-set totals
//   (skill levels, slots, defence) become a Scorer::score. Placement solving (which decorations fill
//   which slots) belongs there, as a function of those totals, and must return the same double as
//   Scorer::score for the same set.
// - Partial-set upper bounds are computed in PartialSet::range_bound and PartialSet::term (walk.cpp)
//   from Model::reach and the skills' GainEnvelope. A decoration bound (what the free slots of the
//   chosen pieces plus the remaining parts' best slots can still add) is added there, with the
//   remaining parts' slot reach stored here next to linear_reach and defence_reach.
// - Dominance (dominance.cpp) compares two pieces of one part; with decorations, a piece with fewer
//   or smaller slots may no longer dominate, so slots must join the comparison.
#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/branch_and_bound.hpp"
#include "core/combination.hpp"
#include "core/search/skill_curves.hpp"

namespace mhwopt::engine {

struct FlatPiece {
    std::uint32_t position = 0;  // in its catalogue part
    double linear = 0.0;
    int defence = 0;
    std::array<int, kSlotLevels> slots{};
    std::uint32_t skill_begin = 0, skill_end = 0;  // merged by skill, zero levels dropped
    double alone = 0.0;  // its score were the other parts to add nothing
};

struct Model {
    std::array<std::size_t, kPartCount> part_at_depth{};
    std::array<std::vector<FlatPiece>, kPartCount> pieces;  // by depth
    std::vector<SkillLevel> skills;
    // From each depth on (the parts not chosen yet): the most each skill's level, the linear value and
    // the defence can still grow.
    std::array<std::vector<int>, kPartCount + 1> reach;
    std::array<std::vector<SkillId>, kPartCount + 1> reachable;  // skills of non-zero reach
    std::array<double, kPartCount + 1> linear_reach{};
    std::array<int, kPartCount + 1> defence_reach{};
    std::vector<std::pair<SkillId, int>> requirements;  // the ones that bind (level > 0)
    // The requirements and the linear value fight over the same parts: the pieces of most defence
    // (or slots) rarely carry the required skills, so linear_reach alone keeps every prefix that can
    // meet the requirements in principle (ties at the cut then leave millions of nodes). From each
    // depth on, needs_linear[d][n] is the most linear value the parts not chosen yet can add while
    // still lifting each required skill by the levels of needs index n (mixed radix of need_stride over
    // need_skills, each need at most its required level); -inf when they cannot. A relaxation where a
    // level falls out of range (negative levels, needs above the required level): a smaller need
    // never lowers the value, so the clamped index still bounds. Only as many requirements as
    // kMaxNeedStates allows take part; the others are left to `reach`.
    std::vector<std::pair<SkillId, int>> need_skills;
    std::vector<std::size_t> need_stride;
    std::array<std::vector<double>, kPartCount + 1> needs_linear;
    int min_defence = 0;
    bool impossible = false;  // an empty part, or a requirement on a skill no piece has
    // What incremental sums may drift from Scorer::score; every cut compares with it. Zero when
    // exact_step > 0: every value the search adds (pieces' linear values, skill values, bounds) is
    // then a multiple of exact_step small enough that no sum rounds, so an incremental score equals
    // Scorer::score bit for bit and a bound equal to the N-th best score proves a tie, which the
    // key then decides (defence-only, all-zero or dyadic weights).
    double slack = 0.0;
    double exact_step = 0.0;
    // The key of each part's unit step (by depth), and from each depth on the least key the parts
    // not chosen yet can add: a subtree's least key, for deciding ties at the cut.
    std::array<CombinationKey, kPartCount> stride{};
    std::array<CombinationKey, kPartCount + 1> min_key_from{};
    // A bound of each piece's term at any node (see PartialSet::term), by depth: its linear value plus
    // each level times the most one level of the skill can be worth. Checking it first spares
    // computing most terms. by_static: the pieces' indices, best static term first.
    std::array<std::vector<double>, kPartCount> static_term;
    std::array<std::vector<std::uint32_t>, kPartCount> by_static;
    std::array<double, kPartCount> best_static{};
};

// Bounds the table's size (by depth) and the time to fill it: 4096 states cover, e.g., 7, 7 and 3
// levels required of three skills with room to spare.
constexpr std::size_t kMaxNeedStates = 4096;

inline int level_in(const Model& model, const FlatPiece& piece, SkillId skill) {
    for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i)
        if (model.skills[i].skill == skill) return model.skills[i].level;
    return 0;
}
struct ModelOptions {
    std::optional<std::size_t> dominance_limit;  // remove pieces with this many dominators; none: keep all
    bool key_order = false;  // parts in key order and pieces by position (for ordered streaming); else best alone first
};

// The allowed pieces flattened, dominated ones removed (options.dominance_limit), parts in search
// order; `impossible` when no set can pass. Fills stats' piece counts and search order.
Model build_model(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                  const SkillCurves& curves, const ModelOptions& options, SearchStats& stats);

// A search's progress for its caller: passes numbered from 1 (a search makes a few), each reporting
// the share of its work units done. Only the calling thread starts passes and reports.
struct Watch {
    const SearchControl* control = nullptr;
    unsigned passes = 0;

    bool wanted() const { return control && control->progress; }
    unsigned start_pass() { return ++passes; }
    void report(unsigned pass, std::size_t done, std::size_t total) const {
        if (wanted()) control->progress(pass, total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total));
    }
};

struct Context {
    const Model& model;
    const SkillCurves& curves;
    const Catalogue& catalogue;
    const Scorer& scorer;
    Watch* watch = nullptr;
};

}  // namespace mhwopt::engine
