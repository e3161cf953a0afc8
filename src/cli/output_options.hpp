#pragma once
// The output options `query` and `score` share, as sqlite-utils' commands do: --csv, --json,
// --table, at most one of them.
#include <string>

#include <CLI/CLI.hpp>

#include "io/row_output.hpp"

namespace mhwopt::cli {

struct OutputFormatOptions {
    bool csv = false;
    bool json = false;
    bool table = false;

    // `when_none` says, in --help, what a command prints when none of the three is given.
    void add_to(CLI::App& command, const std::string& when_none);
    RowFormat format(RowFormat when_none) const;
};

}  // namespace mhwopt::cli
