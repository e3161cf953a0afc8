#pragma once
// Reads a results CSV as `mhwopt run` and `mhwopt score` write it (Head..Charm, one column per
// skill, the four slot totals, Defence, and optionally Decorations and Score) into what a report
// shows. Columns are found by name, so later additions in any position are read or ignored.
#include <cstddef>
#include <functional>
#include <istream>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/report.hpp"

namespace mhwopt {

struct ResultsReadOptions {
    std::size_t keep = 20;            // sets kept in full; every row's score still goes to the histogram
    const Config* config = nullptr;   // skill max values, and the scores when the file has no Score column
    std::function<void(std::size_t rows)> on_rows;  // called now and then, for progress
};

ReportData read_results_report(std::istream& in, const std::string& file_name, const ResultsReadOptions& options,
                               const WarningSink& warn);

}  // namespace mhwopt
