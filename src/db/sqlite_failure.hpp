#pragma once
// SQLiteCpp's exceptions turned into the user's messages ("PATH: what: reason", worded as in
// db/extension/sqlite_error.hpp). Nothing SQLiteCpp throws leaves src/db untranslated; the commands
// wrap their own statements the same way, once, around the work done on a connection.
#include <string>
#include <string_view>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>

#include "db/extension/sqlite_error.hpp"

namespace mhwopt::db {

// Call first thing in the catch block: errno must still be the failed call's.
SqliteError sqlite_error(const SQLite::Database& db, const SQLite::Exception& e, std::string_view what = {});
// For a connection that failed to open, which has no handle left to ask.
SqliteError sqlite_open_error(const std::string& path, const SQLite::Exception& e, std::string_view what);
// SQLite::Database converts implicitly from a path, opening it: a path here would be a bug.
SqliteError sqlite_error(const char* path, const SQLite::Exception& e, std::string_view what = {}) = delete;
SqliteError sqlite_error(const std::string& path, const SQLite::Exception& e, std::string_view what = {}) = delete;

// Runs work(); what it throws as SQLite::Exception comes out as SqliteError naming db's file and `what`.
template <typename Work>
decltype(auto) with_error_context(const SQLite::Database& db, std::string_view what, Work&& work) {
    try {
        return std::forward<Work>(work)();
    } catch (const SQLite::Exception& e) {
        throw sqlite_error(db, e, what);
    }
}

// A write transaction taken with BEGIN IMMEDIATE, so a second writer waits (busy timeout) and then
// fails up front instead of deadlocking halfway; rolled back unless committed.
SQLite::Transaction begin_write(SQLite::Database& db);
void commit(SQLite::Transaction& transaction, const SQLite::Database& db);

}  // namespace mhwopt::db
