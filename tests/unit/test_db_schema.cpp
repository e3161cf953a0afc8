// The schema: migrations embedded from sql/, applied once each, and the refusals that protect a file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <unistd.h>

#include <sqlite3.h>
#include <SQLiteCpp/Statement.h>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "db/sqlite_failure.hpp"
#include "db_test_fixture.hpp"

using namespace mhwopt;
using testing::query_int64;

namespace {

// A database path in /tmp, removed with its -wal, -shm and -journal files when the test ends
// (declare it before any connection to it, so that they close first), whether it passed or not.
class TempDatabase {
public:
    explicit TempDatabase(const char* name)
        : path_(std::string("/tmp/mhwopt_test_") + name + "_" + std::to_string(getpid()) + ".db") {
        remove_all();
    }
    ~TempDatabase() { remove_all(); }
    TempDatabase(const TempDatabase&) = delete;
    TempDatabase& operator=(const TempDatabase&) = delete;
    const std::string& path() const { return path_; }

private:
    void remove_all() const {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path_ + suffix).c_str());
    }
    std::string path_;
};

std::vector<std::string> column_names(SQLite::Database& db, const char* table) {
    std::vector<std::string> names;
    SQLite::Statement info(db, std::string("SELECT name FROM pragma_table_info('") + table + "')");
    while (info.executeStep()) names.push_back(info.getColumn(0).getString());
    return names;
}

}  // namespace

TEST_CASE("migrations are numbered 1..N without gaps", "[db][schema]") {
    const auto& all = db::migrations();
    REQUIRE(!all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].version == static_cast<int>(i + 1));
    CHECK(db::Database::latest_schema_version() == all.back().version);
}

TEST_CASE("a new database gets the whole schema and the latest user_version", "[db][schema]") {
    db::Database database(":memory:", db::OpenMode::Create);
    CHECK(database.schema_version() == db::Database::latest_schema_version());
    for (const char* table : {"part", "piece", "skill", "piece_skill", "catalogue", "combination", "generation_run", "score_run", "score_result"})
        CHECK(query_int64(database, std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '") + table + "'") == 1);
    CHECK(column_names(database, "combination") == std::vector<std::string>{"id"});
    CHECK(column_names(database, "combination_detail") ==
          std::vector<std::string>{"id", "head", "body", "arms", "waist", "legs", "charm", "defence", "slots1", "slots2", "slots3", "slots4"});
    CHECK(column_names(database, "combination_skill") == std::vector<std::string>{"id", "skill", "level"});
}

TEST_CASE("a file database uses WAL and is migrated once", "[db][schema]") {
    const TempDatabase temp("wal");
    const std::string& path = temp.path();
    {
        db::Database database(path, db::OpenMode::Create);
        SQLite::Statement journal(database, "PRAGMA journal_mode");
        REQUIRE(journal.executeStep());
        CHECK(journal.getColumn(0).getString() == "wal");
        CHECK(query_int64(database, "PRAGMA synchronous") == 1);  // NORMAL
    }
    {
        db::Database again(path, db::OpenMode::ReadWrite);  // nothing left to apply: no error
        CHECK(again.schema_version() == db::Database::latest_schema_version());
    }
}

TEST_CASE("an older database is brought up to date, one migration at a time", "[db][schema]") {
    const TempDatabase temp("older");
    const std::string& path = temp.path();
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec(db::migrations().front().sql);
        raw.exec("PRAGMA user_version = 1");
    }
    CHECK_THROWS_WITH(db::Database(path, db::OpenMode::ReadOnly),
                      Catch::Contains("schema version 1, older than this mhwopt's " + std::to_string(db::Database::latest_schema_version())));
    db::Database database(path, db::OpenMode::ReadWrite);
    CHECK(database.schema_version() == db::Database::latest_schema_version());
    CHECK(query_int64(database, "SELECT count(*) FROM sqlite_schema WHERE name = 'combination_detail'") == 1);
}

TEST_CASE("a database of a newer schema is refused, naming both versions", "[db][schema]") {
    const TempDatabase temp("newer");
    const std::string& path = temp.path();
    const int newer = db::Database::latest_schema_version() + 1;
    {
        db::Database database(path, db::OpenMode::Create);
        database.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    for (auto mode : {db::OpenMode::ReadWrite, db::OpenMode::ReadOnly, db::OpenMode::Create})
        CHECK_THROWS_WITH(db::Database(path, mode),
                          Catch::Contains("schema version " + std::to_string(newer)) &&
                              Catch::Contains("newer than this mhwopt's " + std::to_string(db::Database::latest_schema_version())));
}

TEST_CASE("files that are not mhwopt databases are refused and left alone", "[db][schema]") {
    SECTION("another application's database") {
        const TempDatabase temp("foreign");
        const std::string& path = temp.path();
        SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE notes(text)");
        CHECK_THROWS_WITH(db::Database(path, db::OpenMode::Create), Catch::Contains("not an mhwopt database"));
    }
    SECTION("a damaged file") {
        const TempDatabase temp("damaged");
        const std::string& path = temp.path();
        std::FILE* file = std::fopen(path.c_str(), "wb");
        const std::string junk(8192, 'x');
        std::fwrite(junk.data(), 1, junk.size(), file);
        std::fclose(file);
        // Said once: "PATH: the database file is damaged (file is not a database); mhwopt leaves it as it is".
        CHECK_THROWS_WITH(db::Database(path, db::OpenMode::ReadWrite),
                          Catch::EndsWith(path + ": the database file is damaged (file is not a database); mhwopt leaves it as it is") &&
                              !Catch::Contains(path + ": " + path));
        std::FILE* again = std::fopen(path.c_str(), "rb");
        std::string content(9000, '\0');
        content.resize(std::fread(content.data(), 1, content.size(), again));
        std::fclose(again);
        CHECK(content == junk);
    }
    SECTION("a file that cannot be created is named in the error") {
        CHECK_THROWS_WITH(db::Database("/nonexistent-mhwopt-dir/x.db", db::OpenMode::Create),
                          Catch::StartsWith("/nonexistent-mhwopt-dir/x.db: opening: cannot open the database file"));
    }
    SECTION("a missing file is not created by readers") {
        const TempDatabase temp("missing");
        const std::string& path = temp.path();
        CHECK_THROWS_WITH(db::Database(path, db::OpenMode::ReadWrite), Catch::Contains("no such database"));
        CHECK(access(path.c_str(), F_OK) != 0);
    }
}

TEST_CASE("a second writer waits, then reports the lock", "[db][schema]") {
    const TempDatabase temp("locked");
    db::Database first(temp.path(), db::OpenMode::Create);
    db::Database second(temp.path(), db::OpenMode::ReadWrite, 50);
    SQLite::Transaction holding = db::begin_write(first);
    CHECK_THROWS_WITH(db::begin_write(second), Catch::Contains("database is locked by another process"));
}

TEST_CASE("a write refused for lack of room is reported as disk full, whatever SQLite calls it", "[db][schema]") {
    // A file-size limit makes write() fail with EFBIG, which SQLite reports as a plain I/O error.
    // Both ways a failure is worded: the C API's (the extension) and SQLiteCpp's (mhwopt's connections).
    const SQLite::Exception io_error("disk I/O error", SQLITE_IOERR_WRITE);
    const SQLite::Exception full("database or disk is full", SQLITE_FULL);
    for (const int error : {ENOSPC, EFBIG, EDQUOT}) {
        errno = error;
        CHECK_THROWS_WITH(db::throw_sqlite_error(nullptr, SQLITE_IOERR_WRITE, "committing"), Catch::Contains("disk full"));
        errno = error;
        CHECK_THAT(db::sqlite_open_error("x.db", io_error, "committing").what(), Catch::Contains("disk full"));
    }
    errno = EIO;
    CHECK_THROWS_WITH(db::throw_sqlite_error(nullptr, SQLITE_IOERR_WRITE, "committing"), Catch::Contains("I/O error"));
    CHECK_THAT(db::sqlite_open_error("x.db", io_error, "committing").what(), Catch::Contains("I/O error"));
    CHECK_THROWS_WITH(db::throw_sqlite_error(nullptr, SQLITE_FULL, "committing"), Catch::Contains("disk full"));
    CHECK_THAT(db::sqlite_open_error("x.db", full, "committing").what(), Catch::Contains("disk full"));
}

TEST_CASE("migration 4 rebuilds a version-3 combination table without its CHECK, keeping every row", "[db][schema]") {
    const TempDatabase temp("v3");
    const std::string& path = temp.path();
    {
        // A database exactly as a version-3 mhwopt left it: migrations 1..3 and some combinations.
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const db::Migration& migration : db::migrations())
            if (migration.version <= 3) REQUIRE(raw.tryExec(migration.sql) == SQLITE_OK);
        REQUIRE(raw.tryExec("PRAGMA user_version = 3; INSERT INTO combination(id) VALUES (0), (7), (42);") == SQLITE_OK);
        REQUIRE(query_int64(raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'combination' AND sql LIKE '%CHECK%'") == 1);
    }
    db::Database db(path, db::OpenMode::ReadWrite);
    CHECK(db.schema_version() == db::Database::latest_schema_version());
    CHECK(query_int64(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'combination' AND sql LIKE '%CHECK%'") == 0);
    CHECK(query_int64(db, "SELECT count(*) FROM combination") == 3);
    CHECK(query_int64(db, "SELECT sum(id) FROM combination") == 49);
    const std::vector<std::string> run_columns = column_names(db, "generation_run");
    CHECK(std::find(run_columns.begin(), run_columns.end(), "config_text") != run_columns.end());
    // The views still resolve against the rebuilt table.
    CHECK(query_int64(db, "SELECT count(*) FROM combination_piece") == 0);  // no pieces imported
    SQLite::Statement integrity(db, "PRAGMA integrity_check");
    REQUIRE(integrity.executeStep());
    CHECK(integrity.getColumn(0).getString() == "ok");
}

TEST_CASE("a deferred damage check lets a writer open at once and still refuses a damaged file before writing", "[db][schema]") {
    const TempDatabase temp("deferred_check");
    const std::string& path = temp.path();
    {
        db::Database database(path, db::OpenMode::Create, db::Database::kDefaultBusyTimeoutMs, db::JournalMode::Delete);
        database.exec("WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 99999) INSERT INTO combination SELECT id FROM k");
    }
    {
        db::Database healthy(path, db::OpenMode::ReadWrite, db::Database::kDefaultBusyTimeoutMs, std::nullopt, db::DamageCheck::Deferred);
        CHECK_NOTHROW(healthy.check_not_damaged());
    }
    // Scribble over the header of a page in the middle of the combination table: the last pages
    // of the file are its leaves, written last.
    long page_size = 0;
    long pages = 0;
    {
        db::Database reader(path, db::OpenMode::ReadOnly);
        page_size = static_cast<long>(query_int64(reader, "PRAGMA page_size"));
        pages = static_cast<long>(query_int64(reader, "PRAGMA page_count"));
    }
    REQUIRE(pages > 4);
    FILE* file = std::fopen(path.c_str(), "r+b");
    REQUIRE(file);
    std::fseek(file, (pages - 2) * page_size, SEEK_SET);
    for (int i = 0; i < 200; ++i) std::fputc(0xA5, file);
    std::fclose(file);

    db::Database deferred(path, db::OpenMode::ReadWrite, db::Database::kDefaultBusyTimeoutMs, std::nullopt, db::DamageCheck::Deferred);
    CHECK_THROWS_WITH(deferred.check_not_damaged(), Catch::Contains("the database file is damaged") && Catch::Contains("leaves it as it is"));
    CHECK_THROWS_WITH(db::Database(path, db::OpenMode::ReadWrite), Catch::Contains("the database file is damaged"));
}
