// mhwopt: a thin command line over the core library. Parsing picks a command; running it is the
// only place errors are reported, each once, with an exit code per kind of failure.
#include <cctype>
#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/error.hpp"

namespace {

// The options and arguments that name a file or directory, whichever command has them. An empty one
// is nearly always an unset shell variable ("$MHWORLDDATA"); opened as it is, it would read as
// ": cannot open", and SQLite would even take an empty --db for a temporary database.
bool names_a_path(const CLI::Option& option) {
    for (const char* name : {"equipment", "output", "config", "results", "--db", "--config", "--output", "--decorations"})
        if (option.get_name() == name) return true;
    return false;
}

// "mhwopt import: EQUIPMENT is an empty path ..." for the first empty path given, or "".
std::string empty_path_error(const CLI::App& app) {
    for (const CLI::App* command : app.get_subcommands()) {
        for (const CLI::Option* option : command->get_options()) {
            // A flag (score --decorations) has no value to be empty.
            if (!names_a_path(*option) || option->get_type_size_max() == 0) continue;
            for (const std::string& value : option->results())
                if (value.empty()) {
                    std::string name = option->get_name();  // a positional one as its usage line shows it
                    if (!option->nonpositional())
                        for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                    return "mhwopt " + command->get_name() + ": " + name + " is an empty path (an unset shell variable?)";
                }
        }
    }
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace mhwopt;
    CLI::App app{"mhwopt: finds the best Monster Hunter armour sets, exactly, fast and in bounded memory."};
    app.set_version_flag("--version", std::string("mhwopt ") + MHWOPT_VERSION);
    app.require_subcommand(1);
    app.footer("Run 'mhwopt COMMAND --help' for a command's options and examples.");

    cli::CommandAction command;
    cli::add_run_command(app, command);
    cli::add_import_command(app, command);
    cli::add_generate_command(app, command);
    cli::add_score_command(app, command);
    cli::add_query_command(app, command);
    cli::add_report_command(app, command);

    // CLI11 would call a mistyped command "A subcommand is required"; name it, and what there is.
    if (argc > 1 && argv[1][0] != '-') {
        std::string names;
        bool known = false;
        for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
            names += (names.empty() ? "" : ", ") + sub->get_name();
            known |= sub->check_name(argv[1]);
        }
        if (!known) {
            std::fprintf(stderr, "mhwopt: '%s' is not a subcommand, expected one of %s (see mhwopt --help)\n", argv[1], names.c_str());
            return kExitUsageError;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsageError;
    }
    if (const std::string error = empty_path_error(app); !error.empty()) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return kExitUsageError;
    }

    try {
        return command();
    } catch (const DataError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return kExitDataError;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "mhwopt: %s\n", e.what());
        return kExitUsageError;
    } catch (const cli::MissingStoredData& e) {
        std::fprintf(stderr, "mhwopt: %s\n", e.what());
        return kExitDataError;
    } catch (const cli::Interrupted&) {
        std::fprintf(stderr, "mhwopt: interrupted\n");
        return kExitInterrupted;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mhwopt: %s\n", e.what());
        return kExitFailure;
    }
}
