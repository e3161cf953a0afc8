#pragma once
// The best sets when decorations, the weapon's slots, set bonuses and skill maxima count
// (issue 10): every set is ranked by its best placement (core/placement.hpp), and a set none of
// whose placements meets the --require filters is not a result.
#include <optional>
#include <string>
#include <vector>

#include "core/branch_and_bound.hpp"
#include "core/placement.hpp"
#include "core/search.hpp"

namespace mhwopt {

struct DecoratedProblem {
    const Catalogue& catalogue;
    const PlacementModel& model;  // built with the filters' requirements
    WeaponSlots weapon;
    const ResolvedFilters& filters;
};

// Every allowed set's placement solved: the reference the branch and bound is tested against.
std::vector<Ranked> decorated_exhaustive_top_n(const DecoratedProblem& problem, const SearchRequest& request);

// The same result, visiting only sets whose bound can reach the current N-th best. The bound counts
// each remaining piece, and each slot, at its best conceivable value: every level at the best value a
// level of that skill can add anywhere (the steepest chord of its capped value), every slot at the
// better of staying empty or holding the most promising decoration that fits, and set bonuses at
// their best share per piece.
std::vector<Ranked> decorated_branch_and_bound_top_n(const DecoratedProblem& problem, const SearchRequest& request,
                                                     SearchStats* stats = nullptr);

// The best placement of one set (for output and checks).
Placement placement_of(const DecoratedProblem& problem, const Positions& positions);

// Why no set passes: for each requirement, the highest level any allowed set reaches with the best
// decorations for that skill alone (exact: a transversal matroid, so largest level first is optimal).
struct DecoratedDiagnosis {
    struct Reach {
        std::string skill;
        int required;
        int best;
    };
    std::vector<Reach> unreachable;  // requirements no set reaches even alone
    bool min_defence_unreachable = false;
    int best_defence = 0;
};
DecoratedDiagnosis diagnose_decorated(const DecoratedProblem& problem);
std::string explain(const DecoratedDiagnosis& diagnosis, const ResolvedFilters& filters);

}  // namespace mhwopt
