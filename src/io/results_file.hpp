#pragma once
// Writing the results CSV to a path: "-" or "" is standard output; a regular file is written beside
// its target and renamed, so an existing output is never left half-written; special files such as
// /dev/null are written in place.
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "core/combination.hpp"
#include "io/results_writer.hpp"

namespace mhwopt {

void write_results_file(const std::string& path, const Catalogue& catalogue, const RowSource& rows,
                        const std::function<void(std::size_t)>& on_row = {});
void write_results_file(const std::string& path, const Catalogue& catalogue, const std::vector<Positions>& rows,
                        const std::function<void(std::size_t)>& on_row = {});

// The same safety for any writer: `write` fills the stream.
void write_output_file(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace mhwopt
