#pragma once
// Stores combination keys in batches: one transaction a batch, which also advances the run's
// rows_written and next_key, so whatever kills the process, the run row says exactly what is stored.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "db/key_enumeration.hpp"

namespace mhwopt::db {

// Thrown when the cancel flag was seen: the open batch has been rolled back.
struct GenerationCancelled {};

class CombinationWriter : public KeySink {
public:
    // Rows a multi-row INSERT carries: enough to amortise the statement, few enough to stay in cache.
    static constexpr std::size_t kRowsPerInsert = 512;

    CombinationWriter(SQLite::Database& db, std::int64_t run_id, std::uint64_t batch_size, CombinationKey next_key,
                      const std::atomic<bool>* cancel = nullptr);

    void accept(CombinationKey key) override;

    // Commits the last batch and marks the run finished; every key below end_key has been offered.
    // expected_rows: the count the table must end with, when known in advance (unfiltered runs).
    void finish(CombinationKey end_key, std::optional<std::uint64_t> expected_rows);

    // Called after each commit with the run's new next_key (for progress displays).
    void on_commit(std::function<void(CombinationKey)> callback) { on_commit_ = std::move(callback); }
    // Called every kRowsPerInsert rows with the last key written and the rows this writer has
    // inserted (committed or in the open batch).
    void on_rows(std::function<void(CombinationKey, std::uint64_t)> callback) { on_rows_ = std::move(callback); }

    std::uint64_t rows_written() const { return rows_committed_; }  // by this writer, committed

private:
    void flush_pending();
    void insert(const CombinationKey* keys, std::size_t count);
    bool extends_last_insert(const CombinationKey* keys, std::size_t count) const;
    void commit_batch(CombinationKey next_key, bool final, std::optional<std::uint64_t> expected_rows);
    void store(SQLite::Statement& insert);
    void begin_batch();

    SQLite::Database& db_;
    std::int64_t run_id_;
    std::uint64_t batch_size_;
    std::size_t rows_per_insert_;  // kRowsPerInsert, or the batch size when smaller
    CombinationKey committed_next_key_;
    const std::atomic<bool>* cancel_;
    SQLite::Statement insert_full_;
    SQLite::Statement insert_next_;  // rows_per_insert_ rows of NULL ids: SQLite gives each max(id) + 1
    SQLite::Statement update_run_;
    std::unique_ptr<SQLite::Transaction> transaction_;  // the open batch's; destroying it rolls back
    std::vector<CombinationKey> pending_;
    CombinationKey last_key_ = 0;
    bool inserted_any_ = false;  // last_key_ is then the largest id in the table
    std::uint64_t rows_in_batch_ = 0;
    std::uint64_t rows_committed_ = 0;
    std::function<void(CombinationKey)> on_commit_;
    std::function<void(CombinationKey, std::uint64_t)> on_rows_;
};

}  // namespace mhwopt::db
