#include "db/extension/sqlite_error.hpp"

#include <cerrno>
#include <cstring>

namespace mhwopt::db {

std::string database_label(sqlite3* db) {
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    return file && *file ? file : ":memory:";
}

SqliteError make_sqlite_error(const std::string& path, std::string_view what, int code, int extended_code, const std::string& detail,
                              int recorded_errno, int saved_errno) {
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
        case SQLITE_IOERR: {
            // SQLite says SQLITE_FULL only for ENOSPC on some writes; a write refused by a file-size
            // limit (EFBIG) or a quota (EDQUOT) is the same "no room" to the user, and as resumable.
            // A failed COMMIT does not record its errno for sqlite3_system_errno(), but errno still
            // holds it: nothing since has failed.
            auto no_room = [](int error) { return error == ENOSPC || error == EFBIG || error == EDQUOT; };
            const int system_error = no_room(recorded_errno) ? recorded_errno : saved_errno;
            if (no_room(system_error))
                reason = "disk full (" + detail + ": " + std::strerror(system_error) + "); the last committed state is kept and can be resumed";
            else
                reason = "I/O error (" + detail + ")";
            break;
        }
        default:
            reason = detail;
    }
    // An error of mhwopt's own SQL functions may name the database already.
    if (reason.compare(0, path.size() + 2, path + ": ") == 0) reason.erase(0, path.size() + 2);
    std::string message = path + ": ";
    if (!what.empty()) message.append(what).append(": ");
    return SqliteError(extended_code, message + reason);
}

void throw_sqlite_error(sqlite3* db, int code, std::string_view what) {
    const int saved_errno = errno;  // first: the failed call's, before anything here can change it
    const std::string path = database_label(db);
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    throw make_sqlite_error(path, what, code, db ? sqlite3_extended_errcode(db) : code, detail, db ? sqlite3_system_errno(db) : 0,
                            saved_errno);
}

}  // namespace mhwopt::db
