#include "db/sqlite_error.hpp"

namespace mhwopt::db {

std::string database_label(sqlite3* db) {
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    return file && *file ? file : ":memory:";
}

void throw_sqlite_error(sqlite3* db, int code, std::string_view what) {
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    std::string reason;
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            reason = "database is locked by another process (" + detail + ")";
            break;
        case SQLITE_FULL:
            reason = "disk full (" + detail + "); the last committed state is kept and can be resumed";
            break;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            reason = "the database file is damaged (" + detail + "); mhwopt leaves it as it is";
            break;
        case SQLITE_READONLY:
            reason = "the database cannot be written (" + detail + ")";
            break;
        case SQLITE_CANTOPEN:
            reason = "cannot open the database file (" + detail + ")";
            break;
        case SQLITE_IOERR:
            reason = "I/O error (" + detail + ")";
            break;
        default:
            reason = detail;
    }
    std::string message = database_label(db) + ": ";
    if (!what.empty()) message.append(what).append(": ");
    throw SqliteError(db ? sqlite3_extended_errcode(db) : code, message + reason);
}

}  // namespace mhwopt::db
