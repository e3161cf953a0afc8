#include "db/extension/c_statement.hpp"

#include "db/extension/sqlite_error.hpp"

namespace mhwopt::db {

CStatement::CStatement(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        throw_sqlite_error(db_, rc, {});
    }
}

CStatement::~CStatement() { sqlite3_finalize(stmt_); }

bool CStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_sqlite_error(db_, rc, {});
}

std::string CStatement::text(int column) const {
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return bytes ? std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

}  // namespace mhwopt::db
