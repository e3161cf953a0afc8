#pragma once
// Internal: removing pieces that provably never appear in the result (a piece with at least `limit`
// pieces of its part that beat it in every completion).
#include <array>
#include <cstddef>
#include <vector>

#include "core/search/model.hpp"

namespace mhwopt::engine {

// Drops from by_part (by part, not depth) each piece with `limit` or more dominators in its part.
// part_max[p][s]: the most of skill s one piece of part p has; total_max[s]: its sum over the parts.
void remove_dominated(const Model& model, const SkillCurves& curves, std::size_t limit,
                      const std::array<std::vector<int>, kPartCount>& part_max, const std::vector<int>& total_max,
                      std::array<std::vector<FlatPiece>, kPartCount>& by_part, SearchStats& stats);

}  // namespace mhwopt::engine
