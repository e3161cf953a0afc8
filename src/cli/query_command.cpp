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
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <SQLiteCpp/Column.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "db/database.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/read_only_guard.hpp"
#include "db/sqlite_failure.hpp"
#include "io/results_writer.hpp"

namespace mhwopt::cli {

namespace {

enum class Format { Automatic, Table, Csv, Json };

struct QueryOptions {
    std::string sql;
    std::string db_path = "mhwopt.db";
    bool csv = false;
    bool json = false;
    bool table = false;
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

nlohmann::ordered_json cell_json(const SQLite::Column& cell) {
    switch (cell.getType()) {
        case SQLITE_INTEGER: return cell.getInt64();
        case SQLITE_FLOAT: return cell.getDouble();
        case SQLITE_NULL: return nullptr;
        default: return cell_text(cell);
    }
}

std::size_t display_width(const std::string& text) {
    std::size_t width = 0;
    for (unsigned char c : text) width += (c & 0xC0) != 0x80;  // code points, not bytes
    return width;
}

// Column widths come from the first rows (memory stays bounded whatever the query returns).
class TablePrinter {
public:
    static constexpr std::size_t kRowsMeasured = 1000;

    TablePrinter(std::ostream& out, std::vector<std::string> header) : out_(out), header_(std::move(header)), widths_(header_.size(), 0) {
        for (std::size_t c = 0; c < header_.size(); ++c) widths_[c] = display_width(header_[c]);
    }

    void add(std::vector<std::string> row, std::vector<bool> numeric) {
        if (printed_header_) {
            print(row, numeric);
            return;
        }
        for (std::size_t c = 0; c < row.size(); ++c) widths_[c] = std::max(widths_[c], display_width(row[c]));
        buffered_.push_back({std::move(row), std::move(numeric)});
        if (buffered_.size() >= kRowsMeasured) flush();
    }

    void flush() {
        if (!printed_header_) {
            printed_header_ = true;
            print(header_, std::vector<bool>(header_.size(), false));
            std::string rule;
            for (std::size_t c = 0; c < widths_.size(); ++c) rule += (c ? "  " : "") + std::string(widths_[c], '-');
            out_ << rule << '\n';
        }
        for (const auto& [row, numeric] : buffered_) print(row, numeric);
        buffered_.clear();
    }

private:
    void print(const std::vector<std::string>& row, const std::vector<bool>& numeric) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::size_t width = display_width(row[c]);
            const std::string pad(widths_[c] > width ? widths_[c] - width : 0, ' ');
            if (c) line += "  ";
            line += numeric[c] ? pad + row[c] : (c + 1 == row.size() ? row[c] : row[c] + pad);
        }
        out_ << line << '\n';
    }

    std::ostream& out_;
    std::vector<std::string> header_;
    std::vector<std::size_t> widths_;
    std::vector<std::pair<std::vector<std::string>, std::vector<bool>>> buffered_;
    bool printed_header_ = false;
};

// JSON object keys, one per column: a name that repeats gets ":2", ":3"... (the first unused), so
// `SELECT 1 AS a, 2 AS a` keeps both values as "a" and "a:2".
std::vector<std::string> unique_keys(const std::vector<std::string>& names) {
    std::vector<std::string> keys;
    auto taken = [&](const std::string& key) {
        return std::find(keys.begin(), keys.end(), key) != keys.end() ||
               std::find(names.begin(), names.end(), key) != names.end();
    };
    for (const std::string& name : names) {
        if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
            keys.push_back(name);
            continue;
        }
        std::string key;
        for (int n = 2; taken(key = fmt::format("{}:{}", name, n)); ++n) {
        }
        keys.push_back(key);
    }
    return keys;
}

// Output is held back until this much is ready, so that a query failing early (at its first row,
// or within its first megabyte) prints nothing to standard output, not even the header.
constexpr std::streamoff kHeldOutputBytes = 1 << 20;

// Runs the guarded statement and prints its rows as they come, in the chosen format.
int print_query(db::Database& database, const QueryOptions& options, Format format) {
    db::SqlFunctions::install(database.getHandle(), stderr_warnings());
    db::ReadOnlyGuard guard(database, &interrupted(), options.timeout_seconds);
    SQLite::Statement statement = guard.prepare(options.sql, "query");
    const int columns = statement.getColumnCount();
    std::vector<std::string> names;
    for (int c = 0; c < columns; ++c) names.emplace_back(statement.getColumnName(c));
    const std::vector<std::string> keys = unique_keys(names);

    std::ios::sync_with_stdio(false);
    std::ostringstream out;
    auto release = [&] {
        std::cout << out.str();
        out.str({});
    };
    std::optional<TablePrinter> table;
    if (format == Format::Table) table.emplace(out, names);
    if (format == Format::Csv) {
        std::string line;
        for (int c = 0; c < columns; ++c) line += (c ? "," : "") + csv_field(names[c]);
        out << line << '\n';
    }
    if (format == Format::Json) out << '[';
    bool first = true;
    try {
        while (guard.step(statement)) {
            if (format == Format::Csv) {
                std::string line;
                for (int c = 0; c < columns; ++c) line += (c ? "," : "") + csv_field(cell_text(statement.getColumn(c)));
                out << line << '\n';
            } else if (format == Format::Json) {
                nlohmann::ordered_json object = nlohmann::ordered_json::object();
                for (int c = 0; c < columns; ++c) object[keys[c]] = cell_json(statement.getColumn(c));
                out << (first ? "\n" : ",\n") << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            } else {
                std::vector<std::string> row;
                std::vector<bool> numeric;
                for (int c = 0; c < columns; ++c) {
                    const SQLite::Column cell = statement.getColumn(c);
                    const int type = cell.getType();
                    // For reading, 15 digits as the sqlite3 shell shows them (102.206, not
                    // 102.20599999999999); --csv and --json keep the exact value.
                    row.push_back(type == SQLITE_FLOAT ? fmt::format("{:.15g}", cell.getDouble()) : cell_text(cell));
                    numeric.push_back(type == SQLITE_INTEGER || type == SQLITE_FLOAT);
                }
                table->add(std::move(row), std::move(numeric));
            }
            first = false;
            if (out.tellp() >= kHeldOutputBytes) release();
        }
    } catch (const db::QueryStopped& stopped) {
        std::cout.flush();
        if (stopped.cancelled) throw Interrupted{};
        throw std::runtime_error(fmt::format("query stopped at the time limit of {} seconds (--timeout)", *options.timeout_seconds));
    }
    if (table) table->flush();
    if (format == Format::Json) out << (first ? "]\n" : "\n]\n");
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
    if (options.csv + options.json + options.table > 1) throw UsageError("choose one of --csv, --json and --table");
    Format format = options.csv ? Format::Csv : options.json ? Format::Json : options.table ? Format::Table : Format::Automatic;
    if (format == Format::Automatic) format = isatty(STDOUT_FILENO) ? Format::Table : Format::Csv;

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
    cmd->add_flag("--csv", options->csv, "CSV: a header line, then RFC 4180 rows (default when not on a terminal)");
    cmd->add_flag("--json", options->json, "JSON: an array of objects (a repeated column name gets :2, :3...)");
    cmd->add_flag("--table", options->table, "An aligned table (default on a terminal)");
    cmd->add_option("--timeout", options->timeout_seconds, "Stop the query after this many seconds (above 0, at most 1000000)")
        ->check(timeout_validator());
    cmd->footer(
        "Examples:\n"
        "  mhwopt query \"SELECT count(*) FROM combination_detail WHERE defence >= 750\"\n"
        "  mhwopt query \"SELECT head, body, defence, score(id, 'other.json') AS s FROM combination_detail ORDER BY s DESC LIMIT 20\" --table");
    cmd->callback([options, &selected] { selected = [options] { return query(*options); }; });
}

}  // namespace mhwopt::cli
