#include "db/read_only_guard.hpp"

#include "db/extension/sql_functions.hpp"

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

// Every function a read may call: SQLite's core scalar, aggregate, window, date, JSON and math
// functions (reviewed against PRAGMA function_list of SQLite 3.40, plus a few later releases add), and
// mhwopt's own. Everything else is refused: fts3_tokenizer (returns and installs raw pointers),
// load_extension, the shell's readfile/writefile/edit, sqlite_log (writes the error log),
// sqlite_compileoption_*, changes()/last_insert_rowid() (about the connection, not the data),
// subtype(), the FTS and R*Tree helpers, and any function a later SQLite or an extension adds.
}  // namespace

bool is_allowed_sql_function(const char* name) {
    static constexpr const char* allowed[] = {
        // core scalar
        "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull", "iif", "instr", "length", "like",
        "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "octet_length", "printf", "quote", "random",
        "randomblob", "replace", "round", "rtrim", "sign", "soundex", "sqlite_source_id", "sqlite_version", "substr",
        "substring", "trim", "typeof", "unhex", "unicode", "unlikely", "upper", "zeroblob",
        // aggregate
        "avg", "count", "group_concat", "string_agg", "sum", "total",
        // window
        "cume_dist", "dense_rank", "first_value", "lag", "last_value", "lead", "nth_value", "ntile", "percent_rank", "rank",
        "row_number",
        // date and time
        "current_date", "current_time", "current_timestamp", "date", "datetime", "julianday", "strftime", "time", "timediff",
        "unixepoch",
        // JSON (json_each and json_tree are tables, checked as reads)
        "->", "->>", "json", "json_array", "json_array_length", "json_error_position", "json_extract", "json_group_array",
        "json_group_object", "json_insert", "json_object", "json_patch", "json_pretty", "json_quote", "json_remove",
        "json_replace", "json_set", "json_type", "json_valid",
        // math
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees", "exp", "floor",
        "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
    };
    for (const char* allowed_name : allowed)
        if (sqlite3_stricmp(name, allowed_name) == 0) return true;
    // mhwopt's own, from the one registration table: a function added there is allowed here.
    std::size_t count = 0;
    const SqlFunctions::Definition* definitions = SqlFunctions::definitions(count);
    for (std::size_t i = 0; i < count; ++i)
        if (sqlite3_stricmp(name, definitions[i].name) == 0) return true;
    return false;
}

namespace {

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
            if (b && is_allowed_sql_function(b)) return SQLITE_OK;
            if (guard->refusal_.empty()) guard->refusal_ = fmt::format("the function {}()", b ? b : "?");
            return SQLITE_DENY;
        case SQLITE_UPDATE:
            // Reading an eponymous virtual table (json_each, pragma_table_info...) first declares it,
            // which SQLite reports as updates of the schema table's columns. A statement that truly
            // writes the schema is not read-only, and prepare() refuses it on that test.
            if (is_schema_table(a)) {
                guard->schema_update_seen_ = true;
                return SQLITE_OK;
            }
            if (guard->refusal_.empty()) guard->refusal_ = describe_refusal(action, a);
            return SQLITE_DENY;
        case SQLITE_PRAGMA:
            if (a && is_reporting_pragma(a, b != nullptr)) {
                guard->reporting_pragma_seen_ = true;
                return SQLITE_OK;
            }
            if (guard->refusal_.empty()) guard->refusal_ = fmt::format("PRAGMA {}{}", a ? a : "", b ? " with a value" : "");
            return SQLITE_DENY;
        default:
            if (guard->refusal_.empty()) guard->refusal_ = describe_refusal(action, a);
            return SQLITE_DENY;
    }
}

int ReadOnlyGuard::progress(void* self) { return static_cast<ReadOnlyGuard*>(self)->should_stop() ? 1 : 0; }

bool ReadOnlyGuard::should_stop() {
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
        stopped_by_user_ = true;
        return true;
    }
    if (deadline_ && std::chrono::steady_clock::now() >= *deadline_) {
        stopped_by_deadline_ = true;
        return true;
    }
    return false;
}

SQLite::Statement ReadOnlyGuard::prepare(std::string_view sql, std::string_view what) {
    sqlite3* db = db_.getHandle();
    const std::string label = database_label(db);
    auto refused = [&](const std::string& reason) {
        return std::runtime_error(fmt::format("{}: {} refused: {}; only read-only statements (SELECT, WITH, VALUES, reporting PRAGMAs) are allowed",
                                              label, what, reason));
    };
    refusal_.clear();
    schema_update_seen_ = false;
    reporting_pragma_seen_ = false;
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
    const std::string keyword = first_keyword(sql);
    // A reporting PRAGMA without a value (journal_mode, user_version) compiles to code SQLite does
    // not mark read-only; the authorizer has already checked it is one that only reports.
    const bool reporting_pragma = keyword == "PRAGMA" && reporting_pragma_seen_ && refusal_.empty() && !schema_update_seen_;
    if (!read_only && !reporting_pragma) {
        if (schema_update_seen_ && refusal_.empty()) throw refused("a change to the schema (it writes sqlite_master)");
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
