// mhwopt query SQL: any read-only SELECT over the database, with mhwopt's SQL functions.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <sqlite3.h>
#include <SQLiteCpp/Column.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "db/database.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/read_only_guard.hpp"
#include "db/sqlite_failure.hpp"
#include "cli/output_options.hpp"
#include "io/row_output.hpp"

namespace mhwopt::cli {

namespace {

struct QueryOptions {
    std::string sql;
    std::string db_path = "mhwopt.db";
    OutputFormatOptions output;
    std::optional<double> timeout_seconds;
};

// A value as text: integers and texts as they are, reals in the shortest form that reads back
// exactly, blobs as hexadecimal, NULL as nothing.
std::string cell_text(const SQLite::Column& cell) {
    switch (cell.getType()) {
        case SQLITE_INTEGER: return std::to_string(cell.getInt64());
        case SQLITE_FLOAT: return fmt::format("{}", cell.getDouble());
        case SQLITE_NULL: return {};
        case SQLITE_BLOB: {
            const auto* bytes = static_cast<const unsigned char*>(cell.getBlob());
            const int size = cell.getBytes();
            std::string hex;
            for (int i = 0; i < size; ++i) hex += fmt::format("{:02x}", bytes[i]);
            return hex;
        }
        default: {
            const char* text = cell.getText();  // before getBytes(): the size is of the text form
            return std::string(text, static_cast<std::size_t>(cell.getBytes()));
        }
    }
}

OutputCell output_cell(const SQLite::Column& cell) {
    switch (cell.getType()) {
        case SQLITE_INTEGER: return OutputCell::of(static_cast<std::int64_t>(cell.getInt64()));
        case SQLITE_FLOAT: return OutputCell::of(cell.getDouble());
        case SQLITE_NULL: return OutputCell::null();
        default: return OutputCell::of(cell_text(cell));
    }
}

// Output is held back until this much is ready, so that a query failing early (at its first row,
// or within its first megabyte) prints nothing to standard output, not even the header.
constexpr std::streamoff kHeldOutputBytes = 1 << 20;

// Runs the guarded statement and prints its rows as they come, in the chosen format.
int print_query(db::Database& database, const QueryOptions& options, RowFormat format) {
    db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle(), stderr_warnings());
    db::ReadOnlyGuard guard(database, &interrupted(), options.timeout_seconds);
    functions.set_stop_check([&guard] { return guard.should_stop(); });
    // The check refers to this guard: gone before it is.
    struct ForgetStopCheck {
        db::SqlFunctions& functions;
        ~ForgetStopCheck() { functions.set_stop_check({}); }
    } forget{functions};
    SQLite::Statement statement = guard.prepare(options.sql, "query");
    const int columns = statement.getColumnCount();
    std::vector<std::string> names;
    for (int c = 0; c < columns; ++c) names.emplace_back(statement.getColumnName(c));

    std::ios::sync_with_stdio(false);
    std::ostringstream out;
    auto release = [&] {
        std::cout << out.str();
        out.str({});
    };
    RowPrinter printer(out, format, names);
    std::vector<OutputCell> row(static_cast<std::size_t>(columns));
    try {
        while (guard.step(statement)) {
            for (int c = 0; c < columns; ++c) row[static_cast<std::size_t>(c)] = output_cell(statement.getColumn(c));
            printer.add(row);
            if (out.tellp() >= kHeldOutputBytes) release();
        }
    } catch (const db::QueryStopped& stopped) {
        std::cout.flush();
        if (stopped.cancelled) throw Interrupted{};
        throw std::runtime_error(fmt::format("query stopped at the time limit of {} seconds (--timeout)", *options.timeout_seconds));
    }
    printer.finish();
    release();
    std::cout.flush();
    if (!std::cout) throw std::runtime_error("writing to standard output failed");
    return kExitOk;
}

constexpr double kMaxTimeoutSeconds = 1e6;

// A positive, finite number of seconds, at most kMaxTimeoutSeconds (11.5 days): beyond that the
// deadline arithmetic overflows, and NaN would stop nothing.
CLI::Validator timeout_validator() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const char* begin = text.c_str();
            char* end = nullptr;
            errno = 0;
            const double value = std::strtod(begin, &end);
            const bool whole = end != begin && *end == '\0';
            if (whole && errno == 0 && std::isfinite(value) && value > 0 && value <= kMaxTimeoutSeconds) return {};
            return fmt::format("expected a number of seconds above 0 and at most {:.0f}, found '{}'", kMaxTimeoutSeconds, text);
        },
        "SECONDS");
}

int query(const QueryOptions& options) {
    install_interrupt_handler();
    // Read by a person on a terminal, by a program otherwise.
    const RowFormat format = options.output.format(isatty(STDOUT_FILENO) ? RowFormat::Table : RowFormat::Csv);

    const db::ReaderLeftovers leftovers(options.db_path);  // destroyed after the connection closes
    db::Database database(options.db_path, db::OpenMode::ReadOnly);
    return db::with_error_context(database, {}, [&] { return print_query(database, options, format); });
}

}  // namespace

void add_query_command(CLI::App& app, CommandAction& selected) {
    auto options = std::make_shared<QueryOptions>();
    CLI::App* cmd = app.add_subcommand("query", "Run a read-only SQL query (with mhwopt's SQL functions) over the database");
    cmd->add_option("sql", options->sql, "One SELECT statement")->required();
    cmd->add_option("--db", options->db_path, "Database file (opened read-only)")->capture_default_str();
    options->output.add_to(*cmd, "CSV when not on a terminal, a table on one");
    cmd->add_option("--timeout", options->timeout_seconds, "Stop the query after this many seconds (above 0, at most 1000000)")
        ->check(timeout_validator());
    cmd->footer(
        "Examples:\n"
        "  mhwopt query \"SELECT count(*) FROM combination_detail WHERE defence >= 750\"\n"
        "  mhwopt query \"SELECT head, body, defence, score(id, 'other.json') AS s FROM combination_detail ORDER BY s DESC LIMIT 20\" --table");
    cmd->callback([options, &selected] { selected = [options] { return query(*options); }; });
}

}  // namespace mhwopt::cli
