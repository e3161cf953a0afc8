// Generation: key enumeration with filters, batches of one transaction each, and resuming after
// an interruption with exactly one row per combination.
#include <catch2/catch.hpp>

#include <atomic>
#include <vector>

#include <sqlite3.h>
#include <SQLiteCpp/Statement.h>

#include "db/combination_writer.hpp"
#include "db/key_enumeration.hpp"
#include "db_test_fixture.hpp"

using namespace mhwopt;
using testing::query_int64;

namespace {

struct CollectingSink : db::KeySink {
    std::vector<CombinationKey> keys;
    void accept(CombinationKey key) override { keys.push_back(key); }
};

std::vector<CombinationKey> brute_force(const Catalogue& catalogue, const ResolvedFilters& filters, CombinationKey from) {
    const KeyCodec codec(catalogue);
    std::vector<CombinationKey> keys;
    for (CombinationKey key = from; key < codec.count(); ++key) {
        const Positions positions = codec.decode(key);
        if (filters.allows(positions) && filters.passes(totals_of(catalogue, positions))) keys.push_back(key);
    }
    return keys;
}

std::int64_t new_run(SQLite::Database& db) {
    db.exec("INSERT INTO generation_run(catalogue_hash, filters, filters_json, batch_size, started, status)"
            " VALUES ('h', '', '{}', 10, 'now', 'running')");
    return db.getLastInsertRowid();
}

bool in_autocommit(const SQLite::Database& db) { return sqlite3_get_autocommit(db.getHandle()) != 0; }

}  // namespace

TEST_CASE("enumeration offers exactly the keys the filters pass, ascending, from any start", "[db][generate]") {
    const Catalogue catalogue = testing::fixture_catalogue();
    std::vector<Filters> cases(6);
    cases[1].min_defence = 420;
    cases[2].requirements = {{"Attack Boost", 5}};
    cases[3].excluded = {"Helm A", "Charm C"};
    cases[4].pinned = {"Mail B"};
    cases[4].requirements = {{"Critical Eye", 3}, {"Handicraft", 1}};
    cases[5].requirements = {{"No Such Skill", 1}};
    for (const Filters& filters : cases) {
        const ResolvedFilters resolved = resolve_filters(catalogue, filters);
        for (CombinationKey from : {0, 1, 37, 100, 215, 216}) {
            CollectingSink sink;
            db::enumerate_keys(catalogue, resolved, from, sink);
            INFO(describe_filters(filters) << " from " << from);
            CHECK(sink.keys == brute_force(catalogue, resolved, from));
        }
    }
}

TEST_CASE("the writer commits one transaction a batch and keeps the run row in step", "[db][generate]") {
    db::Database db(":memory:", db::OpenMode::Create);
    const std::int64_t run = new_run(db);
    db::CombinationWriter writer(db, run, 10, 0);
    std::vector<CombinationKey> commits;
    writer.on_commit([&](CombinationKey next) {
        commits.push_back(next);
        CHECK(in_autocommit(db));  // really committed
        CHECK(query_int64(db, "SELECT count(*) FROM combination") == query_int64(db, "SELECT rows_written FROM generation_run"));
    });
    for (CombinationKey key = 0; key < 25; ++key) writer.accept(key * 2);
    writer.finish(60, std::nullopt);
    CHECK(commits == std::vector<CombinationKey>{19, 39, 60});
    CHECK(query_int64(db, "SELECT count(*) FROM combination") == 25);
    CHECK(query_int64(db, "SELECT rows_written FROM generation_run") == 25);
    CHECK(query_int64(db, "SELECT expected_rows FROM generation_run") == 25);
    CHECK(query_int64(db, "SELECT next_key FROM generation_run") == 60);
    SQLite::Statement status(db, "SELECT status FROM generation_run");
    REQUIRE(status.executeStep());
    CHECK(status.getColumn(0).getString() == "finished");
}

TEST_CASE("a batch is exactly the batch size, also when it is not a multiple of the rows an INSERT carries", "[db][generate]") {
    db::Database db(":memory:", db::OpenMode::Create);
    const std::int64_t run = new_run(db);
    const std::uint64_t batch = db::CombinationWriter::kRowsPerInsert + 100;
    db::CombinationWriter writer(db, run, batch, 0);
    std::vector<std::int64_t> committed;
    writer.on_commit([&](CombinationKey) { committed.push_back(query_int64(db, "SELECT count(*) FROM combination")); });
    for (CombinationKey key = 0; key < 3 * batch + 7; ++key) writer.accept(key);
    writer.finish(3 * batch + 7, std::nullopt);
    const auto b = static_cast<std::int64_t>(batch);
    CHECK(committed == std::vector<std::int64_t>{b, 2 * b, 3 * b, 3 * b + 7});
}

TEST_CASE("an interrupted generation rolls back its open batch and resumes exactly", "[db][generate]") {
    db::Database db(":memory:", db::OpenMode::Create);
    testing::import_fixture(db);
    const Catalogue catalogue = db::CatalogueStore(db).read();
    const ResolvedFilters everything = resolve_filters(catalogue, {});
    const std::int64_t run = new_run(db);

    struct CancellingSink : db::KeySink {
        db::CombinationWriter& writer;
        std::atomic<bool>& cancel;
        std::size_t seen = 0;
        CancellingSink(db::CombinationWriter& w, std::atomic<bool>& c) : writer(w), cancel(c) {}
        void accept(CombinationKey key) override {
            if (++seen == 95) cancel = true;  // in the middle of the tenth batch
            writer.accept(key);
        }
    };
    std::atomic<bool> cancel{false};
    {
        db::CombinationWriter writer(db, run, 10, 0, &cancel);
        CancellingSink sink(writer, cancel);
        CHECK_THROWS_AS(db::enumerate_keys(catalogue, everything, 0, sink), db::GenerationCancelled);
    }
    CHECK(in_autocommit(db));
    const std::int64_t next = query_int64(db, "SELECT next_key FROM generation_run");
    CHECK(next == 90);
    CHECK(query_int64(db, "SELECT count(*) FROM combination") == 90);
    CHECK(query_int64(db, "SELECT rows_written FROM generation_run") == 90);

    db::CombinationWriter resumed(db, run, 10, static_cast<CombinationKey>(next));
    db::enumerate_keys(catalogue, everything, static_cast<CombinationKey>(next), resumed);
    resumed.finish(216, 216);
    CHECK(query_int64(db, "SELECT count(*) FROM combination") == 216);
    CHECK(query_int64(db, "SELECT min(id) FROM combination") == 0);
    CHECK(query_int64(db, "SELECT max(id) FROM combination") == 215);
    CHECK(query_int64(db, "SELECT sum(id) FROM combination") == 215 * 216 / 2);
    CHECK(query_int64(db, "SELECT rows_written FROM generation_run") == 216);
}

TEST_CASE("a writer whose run was advanced by someone else stops without writing", "[db][generate]") {
    db::Database db(":memory:", db::OpenMode::Create);
    const std::int64_t run = new_run(db);
    db::CombinationWriter writer(db, run, 2, 0);
    db.exec("UPDATE generation_run SET next_key = 50");
    writer.accept(0);
    CHECK_THROWS_WITH(writer.accept(1), Catch::Contains("changed by another process"));
    CHECK(query_int64(db, "SELECT count(*) FROM combination") == 0);
}

TEST_CASE("the writer stores exactly the keys offered, in runs and with gaps", "[db][generate]") {
    db::Database db(":memory:", db::OpenMode::Create);
    const std::int64_t run = new_run(db);
    // Batches of 4: consecutive chunks take the NULL-id append, chunks after a gap explicit ids.
    std::vector<CombinationKey> keys;
    for (CombinationKey k = 0; k < 12; ++k) keys.push_back(k);
    for (CombinationKey k = 20; k < 28; ++k) keys.push_back(k);
    for (CombinationKey k = 30; k < 50; k += 3) keys.push_back(k);
    for (CombinationKey k = 50; k < 61; ++k) keys.push_back(k);
    db::CombinationWriter writer(db, run, 4, 0);
    for (CombinationKey key : keys) writer.accept(key);
    writer.finish(100, std::nullopt);
    std::vector<CombinationKey> stored;
    SQLite::Statement select(db, "SELECT id FROM combination ORDER BY id");
    while (select.executeStep()) stored.push_back(static_cast<CombinationKey>(select.getColumn(0).getInt64()));
    CHECK(stored == keys);
}

TEST_CASE("a NULL-id append that would not land on the expected ids is refused and rolled back", "[db][generate]") {
    db::Database db(":memory:", db::OpenMode::Create);
    const std::int64_t run = new_run(db);
    db.exec("INSERT INTO combination(id) VALUES (1000)");  // a row no run accounts for
    db::CombinationWriter writer(db, run, 10, 0);  // the first batch has explicit ids, the second appends
    CHECK_THROWS_WITH([&] { for (CombinationKey key = 0; key < 100; ++key) writer.accept(key); }(),
                      Catch::Contains("SQLite appended combinations up to id 1010, expected 19"));
    CHECK(in_autocommit(db));
    CHECK(query_int64(db, "SELECT count(*) FROM combination") == 11);
    CHECK(query_int64(db, "SELECT max(id) FROM combination WHERE id < 1000") == 9);
    CHECK(query_int64(db, "SELECT rows_written FROM generation_run") == 10);
}
