#pragma once
// A prepared statement that finalizes itself and throws SqliteError on failure. Written against
// the C API rather than SQLiteCpp so that the loadable extension can share it (see sqlite_api.hpp).
#include <cstdint>
#include <string>
#include <string_view>

#include "db/sqlite_api.hpp"

namespace mhwopt::db {

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind_null(int index);

    bool step();  // true while there is a row
    void reset();  // and clears the bindings

    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
    double real(int column) const { return sqlite3_column_double(stmt_, column); }
    std::string text(int column) const;
    bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

    sqlite3_stmt* handle() const { return stmt_; }
    sqlite3* db() const { return db_; }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// Runs SQL that returns no rows (may hold several statements).
void execute(sqlite3* db, const char* sql, std::string_view what = {});

// The first column of the first row of a query, as an integer (0 when there is no row).
std::int64_t query_int64(sqlite3* db, std::string_view sql);

}  // namespace mhwopt::db
