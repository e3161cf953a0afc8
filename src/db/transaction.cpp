#include "db/transaction.hpp"

#include "db/statement.hpp"

namespace mhwopt::db {

Transaction::Transaction(sqlite3* db) : db_(db) { execute(db_, "BEGIN IMMEDIATE", "starting a write transaction"); }

Transaction::~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    execute(db_, "COMMIT", "committing");
    open_ = false;
}

void Transaction::rollback() {
    open_ = false;
    execute(db_, "ROLLBACK", "rolling back");
}

}  // namespace mhwopt::db
