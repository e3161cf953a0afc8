#pragma once
// Rows of named columns printed as CSV, JSON or an aligned table: the output formats `query` and
// `score` share (`--csv`, `--json`, `--table`), as sqlite-utils does. Memory stays bounded however
// many rows come: a table measures its column widths on the first rows only.
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace mhwopt {

enum class RowFormat { Csv, Json, Table };

struct OutputCell {
    enum class Kind { Null, Integer, Real, Text };
    Kind kind = Kind::Null;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;  // also a blob's hexadecimal form

    static OutputCell null() { return {}; }
    static OutputCell of(std::int64_t value) { return {Kind::Integer, value, 0.0, {}}; }
    static OutputCell of(double value) { return {Kind::Real, 0, value, {}}; }
    static OutputCell of(std::string value) { return {Kind::Text, 0, 0.0, std::move(value)}; }
};

// JSON object keys, one per column: a name that repeats gets ":2", ":3"... (the first unused), so
// `SELECT 1 AS a, 2 AS a` keeps both values as "a" and "a:2".
std::vector<std::string> unique_keys(const std::vector<std::string>& names);

class RowPrinter {
public:
    static constexpr std::size_t kRowsMeasured = 1000;  // a table's widths come from these

    RowPrinter(std::ostream& out, RowFormat format, std::vector<std::string> names);
    void add(const std::vector<OutputCell>& row);
    void finish();  // the table's buffered rows, JSON's closing bracket

private:
    void print_table_row(const std::vector<std::string>& row, const std::vector<bool>& numeric);
    void flush_table();

    std::ostream& out_;
    RowFormat format_;
    std::vector<std::string> names_;
    std::vector<std::string> keys_;
    std::vector<std::size_t> widths_;
    std::vector<std::pair<std::vector<std::string>, std::vector<bool>>> buffered_;
    bool printed_header_ = false;
    bool first_row_ = true;
};

}  // namespace mhwopt
