#pragma once
// Decorations (issue 10): a CSV with a header, columns by position Decoration, Size (1-4), Skill 1,
// Level, Skill 2, Level; after them, columns found by header name: `Count` (owned; empty cell =
// unlimited), any other ignored. Errors are DataErrors at the cell, as for the equipment file.
// Skills are interned into the catalogue, so decorations and pieces share skill ids.
#include <istream>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "core/error.hpp"

namespace mhwopt {

std::vector<Decoration> read_decorations(std::istream& in, const std::string& file_name, Catalogue& catalogue, const WarningSink& warn);
std::vector<Decoration> read_decorations_file(const std::string& path, Catalogue& catalogue, const WarningSink& warn);

// The MHWorldData set's own game rules: set bonuses (armors/armorset_base.csv joined with
// armors/armorset_bonus_base.csv) and skill maxima and secret skills (skills/skill_base.csv,
// skills/skill_levels.csv), stored in catalogue.game(). `path` as for read_mhworld.
void read_mhworld_game(const std::string& path, Catalogue& catalogue, const WarningSink& warn);
// Whether the data set at `path` has any of the files read_mhworld_game reads (a trimmed copy with
// only the armour and charm tables has none).
bool has_mhworld_game(const std::string& path);
// Every decoration of decorations/decoration_base.csv, unlimited.
std::vector<Decoration> read_mhworld_decorations(const std::string& path, Catalogue& catalogue);

}  // namespace mhwopt
