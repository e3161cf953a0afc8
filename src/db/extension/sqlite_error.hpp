#pragma once
// SQLite failures as exceptions whose messages tell the user what happened to their file
// ("database is locked by another process", "disk full", "the database file is damaged"). One
// wording for both sides of the extension boundary: mhwopt's SQLiteCpp connections
// (db/sqlite_failure.hpp) and the C API code the loadable extension runs.
#include <stdexcept>
#include <string>
#include <string_view>

#include "db/extension/sqlite_api.hpp"

namespace mhwopt::db {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }  // the extended result code
    int primary_code() const { return code_ & 0xff; }

private:
    int code_;
};

// "PATH: what: reason" (`what`, what mhwopt was doing, may be empty). `detail` is SQLite's own
// message; recorded_errno is sqlite3_system_errno's, saved_errno the errno right after the failure.
SqliteError make_sqlite_error(const std::string& path, std::string_view what, int code, int extended_code, const std::string& detail,
                              int recorded_errno, int saved_errno);

// The same for a failed C API call on db (which may be null).
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view what);

std::string database_label(sqlite3* db);  // the file's path, or ":memory:"

}  // namespace mhwopt::db
