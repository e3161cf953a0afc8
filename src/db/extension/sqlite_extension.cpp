// The loadable extension's entry point: `.load ./libmhwopt_sqlite` in the sqlite3 shell registers
// the same functions mhwopt uses. SQLite derives the symbol name from the file name
// (libmhwopt_sqlite.so -> sqlite3_mhwoptsqlite_init). Only built into the extension.
#ifdef MHWOPT_SQLITE_EXTENSION
#include <cstdio>
#include <exception>

#include "db/extension/sql_functions.hpp"

SQLITE_EXTENSION_INIT1

extern "C" __attribute__((visibility("default"))) int sqlite3_mhwoptsqlite_init(sqlite3* db, char** error_message,
                                                                                const sqlite3_api_routines* api) {
    SQLITE_EXTENSION_INIT2(api);
    try {
        mhwopt::db::SqlFunctions::install(db, [](const std::string& message) { std::fprintf(stderr, "warning: %s\n", message.c_str()); });
    } catch (const std::exception& e) {
        if (error_message) *error_message = sqlite3_mprintf("mhwopt: %s", e.what());
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}
#endif
