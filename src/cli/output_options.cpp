#include "cli/output_options.hpp"

namespace mhwopt::cli {

void OutputFormatOptions::add_to(CLI::App& command, const std::string& when_none) {
    auto* group = command.add_option_group("Output format", "At most one; without any: " + when_none);
    group->add_flag("--csv", csv, "CSV: a header line, then RFC 4180 rows");
    group->add_flag("--json", json, "JSON: an array of objects (a repeated column name gets :2, :3...)");
    group->add_flag("--table", table, "An aligned table (widths from the first 1000 rows)");
    group->require_option(0, 1);
}

RowFormat OutputFormatOptions::format(RowFormat when_none) const {
    if (csv) return RowFormat::Csv;
    if (json) return RowFormat::Json;
    if (table) return RowFormat::Table;
    return when_none;
}

}  // namespace mhwopt::cli
