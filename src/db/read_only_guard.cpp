#include "db/read_only_guard.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <sqlite3.h>

#include "db/sqlite_failure.hpp"

namespace mhwopt::db {

namespace {

// PRAGMAs that only report. The ones that take an argument read a table's or index's description.
bool is_reporting_pragma(std::string_view name, bool has_argument) {
    static constexpr const char* with_argument[] = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                                                    "foreign_key_list", "quick_check", "integrity_check"};
    static constexpr const char* without_argument[] = {"user_version", "schema_version", "application_id", "page_count", "page_size",
                                                       "freelist_count", "journal_mode", "data_version", "compile_options",
                                                       "database_list", "collation_list", "function_list", "module_list",
                                                       "pragma_list", "table_list", "encoding", "foreign_key_check"};
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* allowed : with_argument)
        if (lower == allowed) return true;
    if (has_argument && lower != "table_list") return false;
    for (const char* allowed : without_argument)
        if (lower == allowed) return true;
    return false;
}

const char* action_name(int action) {
    switch (action) {
        case SQLITE_INSERT: return "INSERT";
        case SQLITE_UPDATE: return "UPDATE";
        case SQLITE_DELETE: return "DELETE";
        case SQLITE_ATTACH: return "ATTACH";
        case SQLITE_DETACH: return "DETACH";
        case SQLITE_PRAGMA: return "PRAGMA";
        case SQLITE_TRANSACTION: return "a transaction statement";
        case SQLITE_SAVEPOINT: return "SAVEPOINT";
        case SQLITE_ANALYZE: return "ANALYZE";
        case SQLITE_REINDEX: return "REINDEX";
        case SQLITE_ALTER_TABLE: return "ALTER TABLE";
        case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TABLE: case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_VIEW:
        case SQLITE_CREATE_VTABLE: case SQLITE_CREATE_TEMP_INDEX: case SQLITE_CREATE_TEMP_TABLE:
        case SQLITE_CREATE_TEMP_TRIGGER: case SQLITE_CREATE_TEMP_VIEW: return "CREATE";
        case SQLITE_DROP_INDEX: case SQLITE_DROP_TABLE: case SQLITE_DROP_TRIGGER: case SQLITE_DROP_VIEW:
        case SQLITE_DROP_VTABLE: case SQLITE_DROP_TEMP_INDEX: case SQLITE_DROP_TEMP_TABLE:
        case SQLITE_DROP_TEMP_TRIGGER: case SQLITE_DROP_TEMP_VIEW: return "DROP";
        default: return "a statement that is not a read";
    }
}

bool is_schema_table(const char* table) {
    if (!table) return false;
    for (const char* name : {"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"})
        if (sqlite3_stricmp(table, name) == 0) return true;
    return false;
}

std::string describe_refusal(int action, const char* table) {
    // CREATE, DROP and ALTER are denied at their first step, a write to the schema table: name
    // the statement the user wrote, not that table.
    if (is_schema_table(table)) {
        if (action == SQLITE_INSERT) return fmt::format("CREATE (it writes {})", table);
        if (action == SQLITE_DELETE) return fmt::format("DROP (it writes {})", table);
        if (action == SQLITE_UPDATE) return fmt::format("a change to the schema (it writes {})", table);
    }
    std::string reason = action_name(action);
    if ((action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE) && table) reason += fmt::format(" on {}", table);
    return reason;
}

// The statement's first keyword (VACUUM, REINDEX...), for writes the authorizer is not asked about.
std::string first_keyword(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size()) {
        if (std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
        else if (sql.substr(i, 2) == "--") i = std::min(sql.find('\n', i), sql.size());
        else if (sql.substr(i, 2) == "/*") i = std::min(sql.find("*/", i + 2), sql.size() - 2) + 2;
        else break;
    }
    std::string word;
    for (; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])); ++i)
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
    return word;
}

}  // namespace

ReadOnlyGuard::ReadOnlyGuard(SQLite::Database& db, const std::atomic<bool>* cancel, std::optional<double> timeout_seconds)
    : db_(db), cancel_(cancel) {
    if (timeout_seconds)
        deadline_ = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(*timeout_seconds));
    // SQLiteCpp has no authorizer, progress handler or limits: these take the connection's handle.
    sqlite3* handle = db_.getHandle();
    previous_length_limit_ = sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, kMaxValueBytes);
    sqlite3_set_authorizer(handle, authorize, this);
    sqlite3_progress_handler(handle, 10000, progress, this);
}

ReadOnlyGuard::~ReadOnlyGuard() {
    sqlite3* handle = db_.getHandle();
    sqlite3_progress_handler(handle, 0, nullptr, nullptr);
    sqlite3_set_authorizer(handle, nullptr, nullptr);
    sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, previous_length_limit_);
}

int ReadOnlyGuard::authorize(void* self, int action, const char* a, const char* b, const char*, const char*) {
    auto* guard = static_cast<ReadOnlyGuard*>(self);
    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_READ:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        case SQLITE_FUNCTION:
            // load_extension is also disabled on the connection; refuse it by name all the same.
            if (b && sqlite3_stricmp(b, "load_extension") != 0) return SQLITE_OK;
            if (guard->refusal_.empty()) guard->refusal_ = "the function load_extension()";
            return SQLITE_DENY;
        case SQLITE_PRAGMA:
            if (a && is_reporting_pragma(a, b != nullptr)) return SQLITE_OK;
            if (guard->refusal_.empty()) guard->refusal_ = fmt::format("PRAGMA {}{}", a ? a : "", b ? " with a value" : "");
            return SQLITE_DENY;
        default:
            if (guard->refusal_.empty()) guard->refusal_ = describe_refusal(action, a);
            return SQLITE_DENY;
    }
}

int ReadOnlyGuard::progress(void* self) {
    auto* guard = static_cast<ReadOnlyGuard*>(self);
    if (guard->cancel_ && guard->cancel_->load(std::memory_order_relaxed)) {
        guard->stopped_by_user_ = true;
        return 1;
    }
    if (guard->deadline_ && std::chrono::steady_clock::now() >= *guard->deadline_) {
        guard->stopped_by_deadline_ = true;
        return 1;
    }
    return 0;
}

SQLite::Statement ReadOnlyGuard::prepare(std::string_view sql, std::string_view what) {
    sqlite3* db = db_.getHandle();
    const std::string label = database_label(db);
    auto refused = [&](const std::string& reason) {
        return std::runtime_error(fmt::format("{}: {} refused: {}; only read-only statements (SELECT, WITH, VALUES, reporting PRAGMAs) are allowed",
                                              label, what, reason));
    };
    refusal_.clear();
    // The statement is checked on the C API before SQLiteCpp prepares it to run: refusing a second
    // statement needs the unparsed tail sqlite3_prepare_v2 reports, and writes the authorizer is not
    // asked about (VACUUM) need sqlite3_stmt_readonly; SQLiteCpp 3.2.1 exposes neither the tail nor
    // the statement's handle. The checked statements are finalized unstepped.
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, &tail);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(raw);
        // A denied function comes back as a plain SQLITE_ERROR, so the authorizer's note decides.
        if ((rc & 0xff) == SQLITE_AUTH || !refusal_.empty()) throw refused(refusal_.empty() ? "not authorized" : refusal_);
        throw std::runtime_error(fmt::format("{}: {}: {}", label, what, sqlite3_errmsg(db)));
    }
    if (!raw) throw std::runtime_error(fmt::format("{}: {}: no SQL statement given", label, what));
    const bool read_only = sqlite3_stmt_readonly(raw) != 0;
    sqlite3_finalize(raw);
    // Only one statement: a second could not be checked before the first had run.
    const std::size_t first_length = static_cast<std::size_t>(tail - sql.data());
    const std::string_view rest = sql.substr(first_length);
    if (!rest.empty()) {
        sqlite3_stmt* next = nullptr;
        const int rest_rc = sqlite3_prepare_v2(db, rest.data(), static_cast<int>(rest.size()), &next, nullptr);
        const bool has_more = next != nullptr || rest_rc != SQLITE_OK;
        sqlite3_finalize(next);
        if (has_more) throw refused("more than one statement");
    }
    if (!read_only) {
        const std::string keyword = first_keyword(sql);
        throw refused(!refusal_.empty() ? refusal_ : keyword.empty() ? "the statement writes" : keyword + " (the statement writes)");
    }
    return with_error_context(db_, {}, [&] { return SQLite::Statement(db_, std::string(sql.substr(0, first_length))); });
}

bool ReadOnlyGuard::step(SQLite::Statement& statement) {
    const int rc = statement.tryExecuteStep();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    if ((rc & 0xff) == SQLITE_INTERRUPT && (stopped_by_user_ || stopped_by_deadline_)) throw QueryStopped{stopped_by_user_};
    if ((rc & 0xff) == SQLITE_TOOBIG)
        throw std::runtime_error(fmt::format("{}: stopped: a string or blob too big (a value may hold at most {} MB)",
                                             database_label(db_.getHandle()), kMaxValueBytes / (1024 * 1024)));
    throw_sqlite_error(db_.getHandle(), rc, {});
}

}  // namespace mhwopt::db
