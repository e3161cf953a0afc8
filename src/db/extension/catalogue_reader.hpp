#pragma once
// Reads the catalogue tables back into the same Catalogue the CSV reader builds, with the same
// positions and skill ids, so scores stay bit-identical to `mhwopt run`. One reader on the C API
// for both sides of the extension boundary: the SQL functions need it inside the loadable
// extension, and mhwopt's commands read through the very same code (CatalogueStore::read), so the
// catalogue a command decodes keys with can never differ from the one its SQL functions score with.
#include "core/catalogue.hpp"
#include "db/extension/sqlite_api.hpp"

namespace mhwopt::db {

// Throws std::runtime_error when nothing was imported yet, or the tables are inconsistent.
Catalogue read_catalogue(sqlite3* db);

}  // namespace mhwopt::db
