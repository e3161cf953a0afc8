#pragma once
// The original's equipment CSV: a header row, then one piece a row, 11 cells by position:
// name, skill 1 name, skill 1 level, skill 2 name, skill 2 level, slots of level 1..4, body part,
// base defence. Stricter than the original: every defect is a DataError at its line and column.
#include <istream>
#include <string>

#include "core/catalogue.hpp"
#include "core/error.hpp"

namespace mhwopt {

constexpr int kMaxCellNumber = 1000000;  // keeps sums of six pieces far from int overflow
// Slots of all levels on one piece (the game has at most 3). Bounds what one set's decorations can
// add to a skill level (503 slots with the weapon's, each at most 2 × kMaxCellNumber levels) below
// int overflow, and how many decorations the placement search stacks up.
constexpr int kMaxPieceSlots = 100;

Catalogue read_equipment_file(const std::string& path, const WarningSink& warn);
Catalogue read_equipment(std::istream& in, const std::string& file_name, const WarningSink& warn);

}  // namespace mhwopt
