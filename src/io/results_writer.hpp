#pragma once
// The original's output CSV: Head,Body,Arms,Waist,Legs,Charm, one column per skill occurring in
// any piece of the rows (sorted by name, words capitalised as the original does), the four slot
// totals and the defence. UTF-8, LF; fields quoted only when they need it.
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue.hpp"
#include "core/combination.hpp"
#include "io/row_output.hpp"

namespace mhwopt {

// Makes the printer once the column names are known.
using RowPrinterFactory = std::function<RowPrinter(std::vector<std::string> names)>;

// "wide-range attack" -> "Wide-range Attack": each space-separated word's first letter upper-cased,
// the rest lower-cased (Python's str.capitalize per word; ASCII letters only change case).
std::string capitalize_words(std::string_view text);

// Quotes a field only when it holds a comma, quote, CR or LF (RFC 4180).
std::string csv_field(std::string_view text);

// Rows given by index, for callers that do not hold them as Positions: a top million kept as keys
// is decoded row by row rather than held twice.
class RowSource {
public:
    RowSource(std::size_t count, std::function<Positions(std::size_t)> at) : count_(count), at_(std::move(at)) {}
    explicit RowSource(const std::vector<Positions>& rows)
        : count_(rows.size()), at_([&rows](std::size_t i) { return rows[i]; }) {}
    std::size_t size() const { return count_; }
    Positions operator[](std::size_t i) const { return at_(i); }

private:
    std::size_t count_;
    std::function<Positions(std::size_t)> at_;
};

// The same rows as the CSV, as named cells, for the other output formats (`score --json/--table`):
// the header's names, then for each row the piece names as text and every number as an integer.
void print_results(RowPrinterFactory make_printer, const Catalogue& catalogue, const RowSource& rows);

// The skill ids to write as columns for these rows, sorted by name in code-point order.
std::vector<SkillId> output_skill_columns(const Catalogue& catalogue, const RowSource& rows);
std::vector<SkillId> output_skill_columns(const Catalogue& catalogue, const std::vector<Positions>& rows);

// `on_row` (optional) is called after each row, for progress.
void write_results_csv(std::ostream& out, const Catalogue& catalogue, const RowSource& rows,
                       const std::function<void(std::size_t)>& on_row = {});
void write_results_csv(std::ostream& out, const Catalogue& catalogue, const std::vector<Positions>& rows,
                       const std::function<void(std::size_t)>& on_row = {});

}  // namespace mhwopt
