#pragma once
// What stands between a user's SQL (`query`, `score --where`) and the database: an authorizer that
// lets through only reads and function calls, a cap on string and blob sizes, a single statement,
// and a progress handler that stops a query at its time limit or when the user presses Ctrl-C.
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace mhwopt::db {

// Thrown when a statement ran into the time limit or the cancel flag.
struct QueryStopped {
    bool cancelled;  // by the user (else: the time limit)
};

// The allow-list of functions a guarded statement may call (any letter case).
bool is_allowed_sql_function(const char* name);

class ReadOnlyGuard {
public:
    static constexpr int kMaxValueBytes = 16 * 1024 * 1024;

    ReadOnlyGuard(SQLite::Database& db, const std::atomic<bool>* cancel, std::optional<double> timeout_seconds);
    ~ReadOnlyGuard();
    ReadOnlyGuard(const ReadOnlyGuard&) = delete;
    ReadOnlyGuard& operator=(const ReadOnlyGuard&) = delete;

    // Prepares exactly one read-only statement, or throws std::runtime_error saying what was refused.
    SQLite::Statement prepare(std::string_view sql, std::string_view what);

    // Steps a guarded statement: throws QueryStopped when the limit or the user stopped it.
    bool step(SQLite::Statement& statement);
    // Whether the statement should stop now (and why, for step's report). For work SQLite's progress
    // handler cannot see, such as best_sets' search inside one step; callable from any thread.
    bool should_stop();

private:
    static int authorize(void* self, int action, const char* a, const char* b, const char* database, const char* trigger);
    static int progress(void* self);

    SQLite::Database& db_;
    const std::atomic<bool>* cancel_;
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    std::string refusal_;  // the first thing the authorizer denied
    bool schema_update_seen_ = false;     // allowed at once, decided by sqlite3_stmt_readonly
    bool reporting_pragma_seen_ = false;  // a PRAGMA is_reporting_pragma let through
    std::atomic<bool> stopped_by_deadline_{false};
    std::atomic<bool> stopped_by_user_{false};
    int previous_length_limit_;
};

}  // namespace mhwopt::db
