#pragma once
#include <string>

namespace mhwopt::db {

// Now, in UTC, as ISO 8601 ("2026-11-25T16:00:00Z"): the form every run table stores.
std::string utc_timestamp();

}  // namespace mhwopt::db
