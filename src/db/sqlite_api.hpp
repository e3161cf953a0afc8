#pragma once
// The one place that chooses how this code reaches SQLite. Linked into mhwopt it calls libsqlite3
// directly; built into the loadable extension (MHWOPT_SQLITE_EXTENSION) every call goes through
// the host's sqlite3_api routines, so the extension works inside a shell that embeds its own SQLite.
#ifdef MHWOPT_SQLITE_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif
