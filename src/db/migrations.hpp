#pragma once
// The schema, as numbered migrations embedded from sql/NNN_name.sql at build time
// (cmake/EmbedSql.cmake). Migration N brings a database from user_version N-1 to N.
#include <vector>

namespace mhwopt::db {

struct Migration {
    int version;
    const char* file_name;
    const char* sql;
};

// In version order, versions 1..N without gaps (the build checks it).
const std::vector<Migration>& migrations();

}  // namespace mhwopt::db
