#pragma once
// The one place that chooses how the code in src/db/extension/ reaches SQLite. Linked into mhwopt it
// calls libsqlite3 directly; built into the loadable extension (MHWOPT_SQLITE_EXTENSION) every call
// goes through the host's sqlite3_api routines, so the extension works inside a shell that embeds its
// own SQLite. This folder is the boundary: only what the extension compiles lives here, and here
// mhwopt steps statements on the C API; the rest of mhwopt uses SQLiteCpp (the one exception, the
// read-only guard's check of a user's statement before it runs, says why in read_only_guard.cpp).
#ifdef MHWOPT_SQLITE_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif
