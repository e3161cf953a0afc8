// mhwopt report: one self-contained HTML page from a results CSV (or a saved score run), for
// looking at results rather than reading them.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "io/config_reader.hpp"
#include "io/html_report.hpp"
#include "io/progress.hpp"
#include "io/results_file.hpp"
#include "io/results_reader.hpp"

namespace mhwopt::cli {

namespace {

struct ReportOptions {
    std::string results_path;
    std::string config_path;
    std::string output_path;  // empty: stdout
    std::string title;
    std::size_t top = 20;
    bool quiet = false;
};

std::string base_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

ReportData report_from_csv(const ReportOptions& options, const WarningSink& warn) {
    std::optional<Config> config;
    if (!options.config_path.empty()) config = read_config_file(options.config_path, warn);
    // Reading checks the encoding first and rewinds, so a pipe is read into memory whole.
    std::unique_ptr<std::istream> stream;
    if (options.results_path == "-") {
        auto buffer = std::make_unique<std::stringstream>();
        *buffer << std::cin.rdbuf();
        stream = std::move(buffer);
    } else {
        stream = std::make_unique<std::ifstream>(options.results_path, std::ios::binary);
        if (!*stream) throw std::runtime_error(fmt::format("{}: cannot open: {}", options.results_path, std::strerror(errno)));
    }
    std::istream& in = *stream;
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(std::max<std::streamoff>(0, in.tellg()));
    in.seekg(0);

    ProgressBar progress(stderr, progress_mode_for(stderr, options.quiet), "Reading results", size, ProgressUnit::Bytes);
    ResultsReadOptions read;
    read.keep = options.top;
    read.config = config ? &*config : nullptr;
    read.on_rows = [&](std::size_t) {
        if (interrupted().load()) throw Interrupted{};
        const auto position = in.tellg();
        if (position >= 0) progress.update(static_cast<std::uint64_t>(position));
    };
    ReportData report = read_results_report(in, options.results_path == "-" ? "<stdin>" : options.results_path, read, warn);
    progress.finish();
    report.facts.push_back("results: " + base_name(options.results_path));
    if (config) report.facts.push_back("config: " + base_name(options.config_path));
    return report;
}

int report(const ReportOptions& options) {
    install_interrupt_handler();
    const WarningSink warn = stderr_warnings();
    ResultsFile output(options.output_path);  // an unwritable path is reported before any reading
    ReportData data = report_from_csv(options, warn);
    data.title = options.title.empty() ? "Best armour sets" : options.title;
    write_html_report(output.stream(), data);
    output.commit();
    return kExitOk;
}

}  // namespace

void add_report_command(CLI::App& app, CommandAction& selected) {
    auto options = std::make_shared<ReportOptions>();
    CLI::App* cmd = app.add_subcommand("report", "Write one self-contained HTML page showing the best sets (no network, no script)");
    cmd->add_option("results", options->results_path, "Results CSV as `run` or `score` writes it (- for standard input)")->required();
    cmd->add_option("--config", options->config_path, "Scoring config JSON: skill max values for the bars, and scores when the CSV has none");
    cmd->add_option("-o,--output", options->output_path, "HTML file to write (default: standard output)");
    cmd->add_option("--top", options->top, "How many sets to show in full (the histogram counts all)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10000}))->capture_default_str();
    cmd->add_option("--title", options->title, "The page's title");
    cmd->add_flag("-q,--quiet", options->quiet, "No progress output");
    cmd->footer(
        "Examples:\n"
        "  mhwopt run equipment.csv best.csv config.json && mhwopt report best.csv --config config.json -o best.html\n"
        "  mhwopt score config.json -q | mhwopt report - --config config.json --top 10 > best.html");
    cmd->callback([options, &selected] { selected = [options] { return report(*options); }; });
}

}  // namespace mhwopt::cli
