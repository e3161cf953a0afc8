// The schema: migrations embedded from sql/, applied once each, and the refusals that protect a file.
#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "db/sqlite_error.hpp"
#include "db/statement.hpp"

using namespace mhwopt;

namespace {

std::string temp_database_path(const char* name) {
    std::string path = std::string("/tmp/mhwopt_test_") + name + "_" + std::to_string(getpid()) + ".db";
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    return path;
}

std::vector<std::string> column_names(sqlite3* db, const char* table) {
    std::vector<std::string> names;
    db::Statement info(db, std::string("SELECT name FROM pragma_table_info('") + table + "')");
    while (info.step()) names.push_back(info.text(0));
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
        CHECK(db::query_int64(database.handle(), std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '") + table + "'") == 1);
    CHECK(column_names(database.handle(), "combination") == std::vector<std::string>{"id"});
    CHECK(column_names(database.handle(), "combination_detail") ==
          std::vector<std::string>{"id", "head", "body", "arms", "waist", "legs", "charm", "defence", "slots1", "slots2", "slots3", "slots4"});
    CHECK(column_names(database.handle(), "combination_skill") == std::vector<std::string>{"id", "skill", "level"});
}

TEST_CASE("a file database uses WAL and is migrated once", "[db][schema]") {
    const std::string path = temp_database_path("wal");
    {
        db::Database database(path, db::OpenMode::Create);
        db::Statement journal(database.handle(), "PRAGMA journal_mode");
        REQUIRE(journal.step());
        CHECK(journal.text(0) == "wal");
        CHECK(db::query_int64(database.handle(), "PRAGMA synchronous") == 1);  // NORMAL
    }
    {
        db::Database again(path, db::OpenMode::ReadWrite);  // nothing left to apply: no error
        CHECK(again.schema_version() == db::Database::latest_schema_version());
    }
    std::remove(path.c_str());
}

TEST_CASE("an older database is brought up to date, one migration at a time", "[db][schema]") {
    const std::string path = temp_database_path("older");
    {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
        db::execute(raw, db::migrations().front().sql);
        db::execute(raw, "PRAGMA user_version = 1");
        sqlite3_close(raw);
    }
    CHECK_THROWS_WITH(db::Database(path, db::OpenMode::ReadOnly),
                      Catch::Contains("schema version 1, older than this mhwopt's " + std::to_string(db::Database::latest_schema_version())));
    db::Database database(path, db::OpenMode::ReadWrite);
    CHECK(database.schema_version() == db::Database::latest_schema_version());
    CHECK(db::query_int64(database.handle(), "SELECT count(*) FROM sqlite_schema WHERE name = 'combination_detail'") == 1);
    std::remove(path.c_str());
}

TEST_CASE("a database of a newer schema is refused, naming both versions", "[db][schema]") {
    const std::string path = temp_database_path("newer");
    const int newer = db::Database::latest_schema_version() + 1;
    {
        db::Database database(path, db::OpenMode::Create);
        db::execute(database.handle(), ("PRAGMA user_version = " + std::to_string(newer)).c_str());
    }
    for (auto mode : {db::OpenMode::ReadWrite, db::OpenMode::ReadOnly, db::OpenMode::Create})
        CHECK_THROWS_WITH(db::Database(path, mode),
                          Catch::Contains("schema version " + std::to_string(newer)) &&
                              Catch::Contains("newer than this mhwopt's " + std::to_string(db::Database::latest_schema_version())));
    std::remove(path.c_str());
}

TEST_CASE("files that are not mhwopt databases are refused and left alone", "[db][schema]") {
    SECTION("another application's database") {
        const std::string path = temp_database_path("foreign");
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
        db::execute(raw, "CREATE TABLE notes(text)");
        sqlite3_close(raw);
        CHECK_THROWS_WITH(db::Database(path, db::OpenMode::Create), Catch::Contains("not an mhwopt database"));
        std::remove(path.c_str());
    }
    SECTION("a damaged file") {
        const std::string path = temp_database_path("damaged");
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
        std::remove(path.c_str());
    }
    SECTION("a file that cannot be created is named in the error") {
        CHECK_THROWS_WITH(db::Database("/nonexistent-mhwopt-dir/x.db", db::OpenMode::Create),
                          Catch::StartsWith("/nonexistent-mhwopt-dir/x.db: opening: cannot open the database file"));
    }
    SECTION("a missing file is not created by readers") {
        const std::string path = temp_database_path("missing");
        CHECK_THROWS_WITH(db::Database(path, db::OpenMode::ReadWrite), Catch::Contains("no such database"));
        CHECK(access(path.c_str(), F_OK) != 0);
    }
}

TEST_CASE("a second writer waits, then reports the lock", "[db][schema]") {
    const std::string path = temp_database_path("locked");
    db::Database first(path, db::OpenMode::Create);
    db::Database second(path, db::OpenMode::ReadWrite, 50);
    db::execute(first.handle(), "BEGIN IMMEDIATE");
    CHECK_THROWS_WITH(db::execute(second.handle(), "BEGIN IMMEDIATE"), Catch::Contains("database is locked by another process"));
    db::execute(first.handle(), "ROLLBACK");
    std::remove(path.c_str());
}

TEST_CASE("a write refused for lack of room is reported as disk full, whatever SQLite calls it", "[db][schema]") {
    // A file-size limit makes write() fail with EFBIG, which SQLite reports as a plain I/O error.
    for (const int error : {ENOSPC, EFBIG, EDQUOT}) {
        errno = error;
        CHECK_THROWS_WITH(db::throw_sqlite_error(nullptr, SQLITE_IOERR_WRITE, "committing"), Catch::Contains("disk full"));
    }
    errno = EIO;
    CHECK_THROWS_WITH(db::throw_sqlite_error(nullptr, SQLITE_IOERR_WRITE, "committing"), Catch::Contains("I/O error"));
    CHECK_THROWS_WITH(db::throw_sqlite_error(nullptr, SQLITE_FULL, "committing"), Catch::Contains("disk full"));
}

TEST_CASE("migration 4 rebuilds a version-3 combination table without its CHECK, keeping every row", "[db][schema]") {
    const std::string path = temp_database_path("v3");
    {
        // A database exactly as a version-3 mhwopt left it: migrations 1..3 and some combinations.
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
        for (const db::Migration& migration : db::migrations())
            if (migration.version <= 3) REQUIRE(sqlite3_exec(raw, migration.sql, nullptr, nullptr, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 3; INSERT INTO combination(id) VALUES (0), (7), (42);", nullptr, nullptr, nullptr) ==
                SQLITE_OK);
        REQUIRE(db::query_int64(raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'combination' AND sql LIKE '%CHECK%'") == 1);
        sqlite3_close(raw);
    }
    db::Database database(path, db::OpenMode::ReadWrite);
    sqlite3* db = database.handle();
    CHECK(database.schema_version() == db::Database::latest_schema_version());
    CHECK(db::query_int64(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'combination' AND sql LIKE '%CHECK%'") == 0);
    CHECK(db::query_int64(db, "SELECT count(*) FROM combination") == 3);
    CHECK(db::query_int64(db, "SELECT sum(id) FROM combination") == 49);
    CHECK(column_names(db, "generation_run").back() == "config_text");
    // The views still resolve against the rebuilt table.
    CHECK(db::query_int64(db, "SELECT count(*) FROM combination_piece") == 0);  // no pieces imported
    db::Statement integrity(db, "PRAGMA integrity_check");
    REQUIRE(integrity.step());
    CHECK(integrity.text(0) == "ok");
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
}

TEST_CASE("a deferred damage check lets a writer open at once and still refuses a damaged file before writing", "[db][schema]") {
    const std::string path = temp_database_path("deferred_check");
    {
        db::Database database(path, db::OpenMode::Create, db::Database::kDefaultBusyTimeoutMs, db::JournalMode::Delete);
        db::execute(database.handle(),
                    "WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 99999) INSERT INTO combination SELECT id FROM k");
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
        page_size = static_cast<long>(db::query_int64(reader.handle(), "PRAGMA page_size"));
        pages = static_cast<long>(db::query_int64(reader.handle(), "PRAGMA page_count"));
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
    std::remove(path.c_str());
}
