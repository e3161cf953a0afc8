#pragma once
// The skill requirements a store's latest generation was searched with (`generate --require`): its
// sets are the best that meet them, so a decorated ranking of those sets places decorations to meet
// them too, as `run --require` does; otherwise a set is ranked and shown with a placement that
// leaves a required skill short.
#include <vector>

#include <SQLiteCpp/Database.h>

#include "core/catalogue.hpp"
#include "core/filters.hpp"

namespace mhwopt::db {

// Empty when nothing was generated or the latest generation required nothing.
std::vector<ResolvedFilters::Requirement> stored_requirements(SQLite::Database& db, const Catalogue& catalogue);

}  // namespace mhwopt::db
