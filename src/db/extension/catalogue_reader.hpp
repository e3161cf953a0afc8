#pragma once
// Reads the catalogue tables back into the same Catalogue the CSV reader builds, with the same
// positions and skill ids, so scores stay bit-identical to `mhwopt run`. One reader on the C API
// for both sides of the extension boundary: the SQL functions need it inside the loadable
// extension, and mhwopt's commands read through the very same code (CatalogueStore::read), so the
// catalogue a command decodes keys with can never differ from the one its SQL functions score with.
#include <vector>

#include "core/catalogue.hpp"
#include "db/extension/sqlite_api.hpp"

namespace mhwopt::db {

// Throws std::runtime_error when nothing was imported yet, or the tables are inconsistent.
// With the game data (sql/006_game_data.sql) when it was imported: set bonuses, each piece's bonus
// and the skill maxima. A database of an older schema (read-only readers never migrate) has none.
Catalogue read_catalogue(sqlite3* db);

// The decorations stored by `import --decorations`, in list order (empty when none were), with their
// skills' ids in `catalogue` (read_catalogue's of the same database). Throws like read_catalogue.
std::vector<Decoration> read_stored_decorations(sqlite3* db, const Catalogue& catalogue);

}  // namespace mhwopt::db
