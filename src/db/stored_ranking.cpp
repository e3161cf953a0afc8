#include "db/stored_ranking.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "db/database.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/read_only_guard.hpp"
#include "db/sqlite_failure.hpp"

namespace mhwopt::db {

namespace {

using RowId = std::int64_t;


// The next chunk's id span: the last one scaled to hold StoredRanking::chunk_rows rows at the density just seen,
// growing at most 16-fold a chunk (through empty stretches of a sparse store) so that a cluster
// ahead is met with a span not far above the last one that held rows.
std::uint64_t next_span(std::uint64_t span, std::uint64_t covered, std::int64_t rows, std::int64_t chunk_rows) {
    constexpr double kMaxSpan = 9.0e18;
    const double grown = std::min(kMaxSpan, static_cast<double>(span) * 16.0);
    if (rows >= chunk_rows) return std::max<std::uint64_t>(1, covered);
    if (rows == 0) return static_cast<std::uint64_t>(grown);
    const double estimate = static_cast<double>(covered) * static_cast<double>(chunk_rows) / static_cast<double>(rows);
    return static_cast<std::uint64_t>(std::clamp(estimate, 1.0, grown));
}

// The id ranges (inclusive) not ranked yet, handed out a chunk at a time to whichever share asks.
// A chunk is an id span guessed, from the density the last chunk saw, to hold StoredRanking::chunk_rows rows; its
// statement stops after that many rows, and what it did not reach is handed back, to be split at the
// density just measured. So shares get equal rows however the ids are spread: dense (every key of
// the example), or a whole-game store of the best N, clustered under a few heads, where one share
// meets the cluster first and the next chunks of it go to both.
class IdRanges {
public:
    IdRanges(RowId first, RowId last, std::int64_t chunk_rows) : chunk_rows_(chunk_rows), span_(static_cast<std::uint64_t>(chunk_rows)) {
        pending_.emplace_back(first, last);
    }

    // The next chunk, or false once every id is ranked (or a share failed). While nothing is pending
    // but a chunk is out, waits: that chunk may hand back the part it did not reach.
    bool take(RowId& from, RowId& to) {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return failed_ || !pending_.empty() || out_ == 0; });
        if (failed_ || pending_.empty()) return false;
        auto [first, last] = pending_.back();
        pending_.pop_back();
        from = first;
        // Unsigned: the width of any int64 range fits, and span_ >= 1.
        if (static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first) < span_) {
            to = last;
        } else {
            to = static_cast<RowId>(static_cast<std::uint64_t>(first) + span_ - 1);
            pending_.emplace_back(to + 1, last);
        }
        ++out_;
        return true;
    }

    // A chunk [from, to] read up to `reached` (its last row when it stopped at the row limit, else to).
    void finish(RowId from, RowId to, RowId reached, std::int64_t rows) {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (reached < to) pending_.emplace_back(reached + 1, to);
            span_ = next_span(span_, static_cast<std::uint64_t>(reached) - static_cast<std::uint64_t>(from) + 1, rows, chunk_rows_);
            --out_;
        }
        ready_.notify_all();
    }

    // A share stopped (an error, Ctrl-C): the others stop at their next chunk instead of waiting on it.
    void fail() {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            failed_ = true;
        }
        ready_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::vector<std::pair<RowId, RowId>> pending_;  // the next to hand out at the back (lowest ids)
    const std::int64_t chunk_rows_;
    std::uint64_t span_;  // at first a dense store's: one id a row
    unsigned out_ = 0;                              // chunks handed out and not finished
    bool failed_ = false;
};

// Raises the floor every share ranks against: a share holding N rows at or above a score proves
// that no row below it can be among the N best of the whole.
void raise_floor(std::atomic<double>& floor, double proved) {
    double seen = floor.load(std::memory_order_relaxed);
    while (proved > seen && !floor.compare_exchange_weak(seen, proved, std::memory_order_relaxed)) {
    }
}

struct SharedRanking {
    const StoredRanking& request;
    std::string sql;
    IdRanges ranges;
    std::atomic<double> floor{-std::numeric_limits<double>::infinity()};
    std::atomic<std::uint64_t> ranked_rows{0};
};

// One share, on its own connection so shares run on separate cores: takes chunks until none is left.
std::vector<Ranked> rank_share(SharedRanking& shared) {
    const StoredRanking& request = shared.request;
    Database database(request.db_path, OpenMode::ReadOnly);
    SqlFunctions functions = SqlFunctions::install(database.getHandle(), request.warn);
    if (request.weapon) functions.set_current_placement(request.config, *request.weapon, request.requirements);
    else functions.set_current_config(request.config);
    ReadOnlyGuard guard(database, request.cancel, std::nullopt);
    SQLite::Statement statement = guard.prepare(shared.sql, "--where");
    return with_error_context(database, {}, [&] {
        TopN best(static_cast<std::size_t>(request.limit));
        RowId from = 0;
        RowId to = 0;
        try {
            while (shared.ranges.take(from, to)) {
                functions.begin_ranking_chunk(to, request.chunk_rows, best.capacity(), shared.floor.load(std::memory_order_relaxed));
                statement.reset();
                statement.bind(1, from);
                while (guard.step(statement)) {
                }
                const RankingChunkResult chunk = functions.end_ranking_chunk();
                for (const Ranked& r : chunk.best) best.offer(r);
                shared.ranges.finish(from, to, chunk.rows >= request.chunk_rows ? chunk.last_row : to, chunk.rows);
                if (best.full()) raise_floor(shared.floor, best.worst().score);
                shared.ranked_rows.fetch_add(static_cast<std::uint64_t>(chunk.rows), std::memory_order_relaxed);
            }
        } catch (...) {
            shared.ranges.fail();
            throw;
        }
        return best.sorted();
    });
}

}  // namespace

// The columns of combination_detail, computed by the SQL functions: SQLite flattens this subquery
// into the outer query, so only the columns --where names are computed, for the rows that get there.
// The chunk's rows are read from ?1 in id order; mhwopt_rank_row ranks each (it ends the scan at
// the chunk's end or row limit). Every row of the table is read, once, in some chunk, which
// check_before_saving in `score` relies on: the scan stands in for a file check of the table.
// The condition sits in a CASE, not in the WHERE: every row is counted, and a condition on id
// cannot narrow the scan. mhwopt_may_rank(id) comes first: SQLite evaluates AND's terms in the
// order written, so the rows the ranking's cut rules out (most of them) skip the user's condition
// and its SQL function calls (a --where "defence >= 750" cost 2.4x the plain scan, 1.8x without it).
namespace {
constexpr const char* kRankedColumns =
    "SELECT c.id AS id, piece(c.id, 'Head') AS head, piece(c.id, 'Body') AS body, piece(c.id, 'Arms') AS arms,"
    " piece(c.id, 'Waist') AS waist, piece(c.id, 'Legs') AS legs, piece(c.id, 'Charm') AS charm, defence(c.id) AS defence,"
    " slots(c.id, 1) AS slots1, slots(c.id, 2) AS slots2, slots(c.id, 3) AS slots3, slots(c.id, 4) AS slots4"
    " FROM combination AS c";
}  // namespace

std::string ranking_chunk_sql(const std::string& where) {
    return fmt::format("SELECT id FROM ({}) WHERE id >= ?1 AND mhwopt_rank_row(id, {}) LIMIT 1", kRankedColumns,
                       where.empty() ? "1" : fmt::format("CASE WHEN mhwopt_may_rank(id) AND (\n{}\n) THEN 1 ELSE 0 END", where));
}

// The condition last, in parentheses as `score` always wrote it: a second statement after it is then
// found as such by the guard ("more than one statement"), where inside the CASE it would be a
// syntax error.
std::string where_check_sql(const std::string& where) { return fmt::format("SELECT id FROM ({}) WHERE (\n{}\n)", kRankedColumns, where); }

std::uint64_t stored_combination_count(SQLite::Database& db) {
    return with_error_context(db, {}, [&] { return static_cast<std::uint64_t>(db.execAndGet("SELECT count(*) FROM combination").getInt64()); });
}

std::vector<Ranked> rank_stored(const StoredRanking& request, const std::function<void(std::uint64_t)>& progress) {
    RowId first = 0;
    RowId last = -1;
    {
        Database database(request.db_path, OpenMode::ReadOnly);
        with_error_context(database, {}, [&] {
            // Two subqueries: SQLite seeks the b-tree's ends for a lone min() or max(), and scans the
            // whole table for the two in one SELECT.
            SQLite::Statement bounds(database, "SELECT (SELECT min(id) FROM combination), (SELECT max(id) FROM combination)");
            if (bounds.executeStep() && !bounds.getColumn(0).isNull()) {
                first = bounds.getColumn(0).getInt64();
                last = bounds.getColumn(1).getInt64();
            }
        });
    }
    if (last < first) return {};
    SharedRanking shared{request, ranking_chunk_sql(request.where), IdRanges(first, last, std::max<std::int64_t>(1, request.chunk_rows))};

    const unsigned shares = std::max(1u, request.threads);
    std::vector<std::future<std::vector<Ranked>>> futures;
    try {
        for (unsigned s = 0; s < shares; ++s) futures.push_back(std::async(std::launch::async, rank_share, std::ref(shared)));
    } catch (const std::system_error& e) {
        // Chunks go to whichever share asks, so the shares started rank every row: fewer is slower, not wrong.
        if (futures.empty()) throw std::runtime_error(fmt::format("cannot start a ranking thread: {}", e.what()));
        if (request.warn)
            request.warn(fmt::format("warning: started {} of {} ranking threads ({}); ranking with {}", futures.size(), shares, e.what(),
                                     futures.size()));
    }
    for (auto& future : futures)
        while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) progress(shared.ranked_rows.load());
    progress(shared.ranked_rows.load());

    TopN best(static_cast<std::size_t>(request.limit));
    bool stopped = false;
    std::exception_ptr failure;
    for (auto& future : futures) {
        try {
            for (const Ranked& r : future.get()) best.offer(r);
        } catch (const QueryStopped&) {
            stopped = true;
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
    }
    if (stopped) throw QueryStopped{true};
    if (failure) std::rethrow_exception(failure);
    return best.sorted();
}

}  // namespace mhwopt::db
