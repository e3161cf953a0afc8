#pragma once
// A write transaction taken with BEGIN IMMEDIATE, so a second writer waits (busy timeout) and then
// fails up front instead of deadlocking halfway; rolled back unless committed.
#include "db/sqlite_api.hpp"

namespace mhwopt::db {

class Transaction {
public:
    explicit Transaction(sqlite3* db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();
    void rollback();

private:
    sqlite3* db_;
    bool open_ = true;
};

}  // namespace mhwopt::db
