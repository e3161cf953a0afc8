#pragma once
// The original's JSON scoring config: decorations.deco_1..deco_4, decorations.num_decos,
// skills.NAME.max/weight/penalty, defence, limit. A missing number is 1.0 with the original's
// warning; a wrong type, a bad limit, a syntax error or a duplicate key is a DataError.
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"

namespace mhwopt {

constexpr long long kMaxLimit = 100000000;  // results are kept in memory: 16 bytes each

Config read_config_file(const std::string& path, const WarningSink& warn);
Config read_config_text(const std::string& text, const std::string& source_name, const WarningSink& warn);

// Reads the whole file, for callers that also keep the config's text (the database does). Only a
// regular file of at most 1 MiB is read; anything else (a device, a FIFO, a directory) is refused
// as "not a config file" before any of it is read.
std::string read_config_source(const std::string& path);

}  // namespace mhwopt
