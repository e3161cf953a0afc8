#include "db/sqlite_failure.hpp"

#include <cerrno>

#include <sqlite3.h>

namespace mhwopt::db {

namespace {

// SQLiteCpp's own errors (a misuse it caught itself) carry -1 for a code.
int extended_code(const SQLite::Exception& e) {
    return e.getExtendedErrorCode() != -1 ? e.getExtendedErrorCode() : e.getErrorCode();
}

}  // namespace

SqliteError sqlite_error(const SQLite::Database& db, const SQLite::Exception& e, std::string_view what) {
    const int saved_errno = errno;  // first: the failed call's, before anything here can change it
    sqlite3* handle = db.getHandle();
    return make_sqlite_error(database_label(handle), what, e.getErrorCode(), extended_code(e), e.what(), sqlite3_system_errno(handle),
                             saved_errno);
}

SqliteError sqlite_open_error(const std::string& path, const SQLite::Exception& e, std::string_view what) {
    const int saved_errno = errno;
    return make_sqlite_error(path, what, e.getErrorCode(), extended_code(e), e.what(), 0, saved_errno);
}

SQLite::Transaction begin_write(SQLite::Database& db) {
    try {
        return SQLite::Transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    } catch (const SQLite::Exception& e) {
        throw sqlite_error(db, e, "starting a write transaction");
    }
}

void commit(SQLite::Transaction& transaction, const SQLite::Database& db) {
    with_error_context(db, "committing", [&] { transaction.commit(); });
}

}  // namespace mhwopt::db
