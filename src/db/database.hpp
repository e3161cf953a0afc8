#pragma once
// An mhwopt database file: opened with the PRAGMAs that keep it safe under kill -9 (WAL,
// synchronous NORMAL), checked before anything writes to it, and migrated to this build's schema.
// It is a SQLite::Database: statements and transactions take it as they are.
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>

namespace mhwopt::db {

enum class OpenMode {
    Create,     // import: creates the file when missing
    ReadWrite,  // generate, score: the file must exist
    ReadOnly,   // query, score --no-save: never writes, never migrates
};

// When a writer's open runs PRAGMA quick_check, which reads every page of the file. Deferred lets
// a command run the check alongside its own reading and call check_not_damaged() before it writes;
// a file that needs migrating is still checked at once, since migrating writes.
enum class DamageCheck { OnOpen, Deferred };

// Both survive a kill -9 at any moment. WAL (the default for new files) lets readers run while a
// writer works; DELETE writes each page once, and is what some tools and file systems need.
enum class JournalMode { Wal, Delete };

class Database : public SQLite::Database {
public:
    static constexpr int kDefaultBusyTimeoutMs = 5000;

    // ":memory:" gives a private in-memory database (tests). Writers set `journal` when given;
    // otherwise a new file gets WAL and an existing one keeps the mode it was given.
    Database(const std::string& path, OpenMode mode, int busy_timeout_ms = kDefaultBusyTimeoutMs,
             std::optional<JournalMode> journal = std::nullopt, DamageCheck damage_check = DamageCheck::OnOpen);
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return path_; }
    int schema_version();

    static int latest_schema_version();

    // Applies the embedded migrations above the file's user_version, one transaction each.
    void migrate();

    // Throws when an existing file fails PRAGMA quick_check; runs the check once a connection.
    void check_not_damaged();

private:
    void check_schema_version(OpenMode mode);
    void configure(OpenMode mode, std::optional<JournalMode> journal, DamageCheck damage_check);

    std::string path_;
    bool checked_ = false;  // not damaged, or a file this connection created
};

// A read-only connection to a WAL file whose -wal and -shm files are missing (a copy of the file
// alone, say) creates them, and cannot remove them on close: only a connection that may write can
// checkpoint and delete them. Made before a command's first connection and destroyed after its last,
// this notes which of the two were missing and, if this process created them, opens one writable
// connection that reads nothing but the schema and closes: SQLite then removes them itself, and
// only if no other process is using them (the last connection's checkpoint needs an exclusive
// lock). An empty WAL has nothing to copy back, so the database file is not written.
class ReaderLeftovers {
public:
    explicit ReaderLeftovers(std::string path);
    ~ReaderLeftovers();
    ReaderLeftovers(const ReaderLeftovers&) = delete;
    ReaderLeftovers& operator=(const ReaderLeftovers&) = delete;

private:
    std::string path_;
    bool had_wal_ = true;
    bool had_shm_ = true;
};

}  // namespace mhwopt::db
