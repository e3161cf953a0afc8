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

Catalogue read_equipment_file(const std::string& path, const WarningSink& warn);
Catalogue read_equipment(std::istream& in, const std::string& file_name, const WarningSink& warn);

}  // namespace mhwopt
