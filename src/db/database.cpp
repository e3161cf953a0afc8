#include "db/database.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <sqlite3.h>
#include <SQLiteCpp/Statement.h>

#include "db/migrations.hpp"
#include "db/sqlite_failure.hpp"

namespace mhwopt::db {

namespace {

bool is_memory(const std::string& path) { return path == ":memory:"; }

bool file_has_content(const std::string& path) {
    struct stat info {};
    return stat(path.c_str(), &info) == 0 && info.st_size > 0;
}

bool file_exists(const std::string& path) {
    struct stat info {};
    return stat(path.c_str(), &info) == 0;
}

std::string directory_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Every write needs a journal (-wal or -journal) created beside the database file. A directory
// that is missing (or otherwise unreachable) is left to SQLite to report.
bool directory_read_only(const std::string& path) {
    if (access(directory_of(path).c_str(), W_OK) == 0) return false;
    return errno == EACCES || errno == EROFS || errno == EPERM;
}

// Bytes 18 and 19 of the header are 2 in a WAL-mode file.
bool is_wal_file(const std::string& path) {
    char header[20] = {};
    std::ifstream file(path, std::ios::binary);
    return file.read(header, sizeof header) && std::string(header, 16) == std::string("SQLite format 3\0", 16) && header[18] == 2;
}

// file: URI of a path, with immutable=1.
std::string immutable_uri(const std::string& path) {
    std::string uri = path.rfind('/', 0) == 0 ? "file://" : "file:";
    for (char c : path) {
        if (c == '?' || c == '#' || c == '%') uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        else uri += c;
    }
    return uri + "?immutable=1";
}

// The connection, after the checks that must come before SQLite touches the file.
SQLite::Database open_connection(const std::string& path, OpenMode mode, int busy_timeout_ms) {
    if (mode != OpenMode::Create && !is_memory(path) && !file_exists(path))
        throw std::runtime_error(fmt::format("{}: no such database; create one with 'mhwopt import EQUIPMENT.csv --db {}'", path, path));

    if (mode != OpenMode::ReadOnly && !is_memory(path) && directory_read_only(path))
        throw std::runtime_error(fmt::format("{}: the directory {} is read-only, and every write needs a journal file beside the database; "
                                             "query and score --no-save can still read it", path, directory_of(path)));

    int flags = SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread
    flags |= mode == OpenMode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (mode == OpenMode::Create) flags |= SQLITE_OPEN_CREATE;
    std::string name = path;
    // A reader of a WAL file needs its -wal and -shm files, or to create them. In a read-only
    // directory without a -wal file no one can be writing (a writer would need one), and every
    // commit is in the main file: SQLite reads that as "immutable", without the other two.
    if (mode == OpenMode::ReadOnly && !is_memory(path) && directory_read_only(path) && is_wal_file(path) && !file_exists(path + "-wal")) {
        name = immutable_uri(path);
        flags |= SQLITE_OPEN_URI;
    }
    try {
        return SQLite::Database(name, flags, busy_timeout_ms);
    } catch (const SQLite::Exception& e) {
        throw sqlite_open_error(path, e, "opening");
    }
}

}  // namespace

int Database::latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

Database::Database(const std::string& path, OpenMode mode, int busy_timeout_ms, std::optional<JournalMode> journal,
                   DamageCheck damage_check)
    : SQLite::Database(open_connection(path, mode, busy_timeout_ms)), path_(path) {
    with_error_context(*this, {}, [&] { configure(mode, journal, damage_check); });
}

void Database::configure(OpenMode mode, std::optional<JournalMode> journal, DamageCheck damage_check) {
    sqlite3* db = getHandle();
    // Opening creates at most an empty file, so a file new to this connection still has no content.
    const bool existed = !is_memory(path_) && file_has_content(path_);
    sqlite3_extended_result_codes(db, 1);
    // SQLite quietly opens a file it may not write read-only; a writer would then fail only at
    // its first write, after reading everything. Say so now, plainly.
    if (mode != OpenMode::ReadOnly && !is_memory(path_) && sqlite3_db_readonly(db, "main") == 1)
        throw std::runtime_error(fmt::format("{}: the database file is read-only (its permissions, or a read-only file system); "
                                             "query and score --no-save can still read it", path_));
    // Schema files never need these, and a hostile file could otherwise abuse them.
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);

    checked_ = !existed;
    if (mode != OpenMode::ReadOnly && (damage_check == DamageCheck::OnOpen || schema_version() < latest_schema_version()))
        check_not_damaged();
    check_schema_version(mode);
    if (mode != OpenMode::ReadOnly) {
        // A page size is fixed when the file is created, and before WAL is chosen. 64 KiB pages
        // made generate's appends 15% faster than 4 KiB ones and the file slightly smaller
        // (measured with the sqlite3 shell here); the small tables cost a page each.
        if (!existed) with_error_context(*this, "setting the page size", [&] { exec("PRAGMA page_size = 65536"); });
        // Never OFF or MEMORY, which corrupt the file when the process dies mid-write.
        if (journal || !existed) {
            const char* wanted = journal == JournalMode::Delete ? "delete" : "wal";
            // Scoped: an unfinished PRAGMA statement would make every later COMMIT fail.
            SQLite::Statement set(*this, fmt::format("PRAGMA journal_mode = {}", wanted));
            if (set.executeStep() && set.getColumn(0).getString() != wanted && !is_memory(path_))
                throw std::runtime_error(fmt::format("{}: cannot switch to journal mode {} (it stays '{}'; is another process using the file?)",
                                                     path_, wanted, set.getColumn(0).getString()));
        }
        with_error_context(*this, "setting synchronous", [&] { exec("PRAGMA synchronous = NORMAL"); });
        migrate();
    }
    with_error_context(*this, "enabling foreign keys", [&] { exec("PRAGMA foreign_keys = ON"); });
}

int Database::schema_version() { return execAndGet("PRAGMA user_version").getInt(); }

void Database::check_not_damaged() {
    if (checked_) return;
    std::string verdict;
    try {
        SQLite::Statement check(*this, "PRAGMA quick_check(1)");
        if (check.executeStep()) verdict = check.getColumn(0).getString();
    } catch (const SQLite::Exception& e) {
        // Locks and permissions say nothing about the file's health: report them as they are.
        // Damage already says so, in those words.
        const SqliteError error = sqlite_error(*this, e);
        const int code = error.primary_code();
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_READONLY || code == SQLITE_PERM || code == SQLITE_CANTOPEN ||
            code == SQLITE_AUTH || code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
            throw error;
        throw std::runtime_error(fmt::format("{}: the database file is damaged or not a database ({}); mhwopt leaves it as it is",
                                             path_, e.what()));
    }
    // quick_check's findings come a line each; the error is one line.
    for (std::string::size_type newline; (newline = verdict.find('\n')) != std::string::npos;) verdict.replace(newline, 1, "; ");
    if (verdict != "ok")
        throw std::runtime_error(fmt::format("{}: the database file is damaged (quick_check: {}); mhwopt leaves it as it is", path_, verdict));
    checked_ = true;
}

void Database::check_schema_version(OpenMode mode) {
    const int version = schema_version();
    const int latest = latest_schema_version();
    if (version > latest)
        throw std::runtime_error(fmt::format(
            "{}: the database has schema version {}, newer than this mhwopt's {}; use a newer mhwopt", path_, version, latest));
    if (version == 0 && execAndGet("SELECT count(*) FROM sqlite_schema").getInt64() > 0)
        throw std::runtime_error(fmt::format("{}: not an mhwopt database (it has tables but no mhwopt schema version)", path_));
    if (mode == OpenMode::ReadOnly && version < latest) {
        if (version == 0) throw std::runtime_error(fmt::format("{}: the database is empty; run 'mhwopt import EQUIPMENT.csv' first", path_));
        throw std::runtime_error(fmt::format(
            "{}: the database has schema version {}, older than this mhwopt's {}; any writing command (import, generate, score) upgrades it",
            path_, version, latest));
    }
}

void Database::migrate() {
    with_error_context(*this, {}, [&] {
        for (const Migration& migration : migrations()) {
            if (migration.version <= schema_version()) continue;
            SQLite::Transaction transaction = begin_write(*this);
            // Re-read inside the transaction: another process may have migrated meanwhile.
            if (migration.version <= schema_version()) continue;
            with_error_context(*this, fmt::format("applying schema migration {}", migration.file_name), [&] { exec(migration.sql); });
            with_error_context(*this, "recording the schema version", [&] { exec(fmt::format("PRAGMA user_version = {}", migration.version)); });
            commit(transaction, *this);
        }
    });
}

ReaderLeftovers::ReaderLeftovers(std::string path) : path_(std::move(path)) {
    if (is_memory(path_)) return;
    had_wal_ = file_exists(path_ + "-wal");
    had_shm_ = file_exists(path_ + "-shm");
}

ReaderLeftovers::~ReaderLeftovers() {
    if (had_wal_ || had_shm_) return;  // not ours, or in use by someone else
    if (!file_exists(path_ + "-wal") && !file_exists(path_ + "-shm")) return;
    if (!is_wal_file(path_) || directory_read_only(path_) || access(path_.c_str(), W_OK) != 0) return;
    try {
        SQLite::Database cleaner(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
        SQLite::Statement read(cleaner, "SELECT 1 FROM sqlite_schema LIMIT 1");  // opens the WAL
        read.executeStep();
    } catch (const std::exception&) {
        // Left as they are: harmless files, and never worth failing a read that succeeded.
    }
}

}  // namespace mhwopt::db
