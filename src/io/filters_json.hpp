#pragma once
// Filters as the JSON a generation run records (generation_run.filters_json), so that a resumed
// generation, and a ranking of its rows, see the filters it was started with.
#include <string>

#include "core/filters.hpp"

namespace mhwopt {

std::string filters_to_json(const Filters& filters);
// Throws nlohmann::json's exceptions for text filters_to_json did not write.
Filters filters_from_json(const std::string& text);

}  // namespace mhwopt
