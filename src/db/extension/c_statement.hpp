#pragma once
// A prepared statement on SQLite's C API, for the code the loadable extension runs: there every call
// must go through the host's sqlite3_api routines (sqlite_api.hpp), which SQLiteCpp cannot do.
// Finalizes itself and throws SqliteError on failure. Everything else in mhwopt uses SQLiteCpp.
#include <cstdint>
#include <string>
#include <string_view>

#include "db/extension/sqlite_api.hpp"

namespace mhwopt::db {

class CStatement {
public:
    CStatement(sqlite3* db, std::string_view sql);
    ~CStatement();
    CStatement(const CStatement&) = delete;
    CStatement& operator=(const CStatement&) = delete;

    bool step();  // true while there is a row

    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
    std::string text(int column) const;
    bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
    int type(int column) const { return sqlite3_column_type(stmt_, column); }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace mhwopt::db
