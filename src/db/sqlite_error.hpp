#pragma once
// SQLite failures as exceptions whose messages tell the user what happened to their file
// ("database is locked by another process", "disk full", "the database file is damaged").
#include <stdexcept>
#include <string>
#include <string_view>

#include "db/sqlite_api.hpp"

namespace mhwopt::db {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }  // the extended result code
    int primary_code() const { return code_ & 0xff; }

private:
    int code_;
};

// "PATH: what failed: reason"; `what` says what mhwopt was doing (may be empty).
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view what);
// The same with the path given: a handle that failed to open does not know its file's name.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view what, const std::string& path);

// Throws unless code is SQLITE_OK (or SQLITE_ROW/SQLITE_DONE).
inline void check(sqlite3* db, int code, std::string_view what) {
    if (code != SQLITE_OK && code != SQLITE_ROW && code != SQLITE_DONE) throw_sqlite_error(db, code, what);
}

std::string database_label(sqlite3* db);  // the file's path, or ":memory:"

}  // namespace mhwopt::db
