#pragma once
// Each subcommand lives in its own file and adds itself to the CLI here. Parsing only records
// which command to run; main() runs it, so every error is reported once, in main().
#include <functional>

#include <CLI/CLI.hpp>

namespace mhwopt::cli {

using CommandAction = std::function<int()>;

void add_run_command(CLI::App& app, CommandAction& selected);
void add_import_command(CLI::App& app, CommandAction& selected);
void add_generate_command(CLI::App& app, CommandAction& selected);
void add_score_command(CLI::App& app, CommandAction& selected);
void add_query_command(CLI::App& app, CommandAction& selected);
void add_report_command(CLI::App& app, CommandAction& selected);

}  // namespace mhwopt::cli
