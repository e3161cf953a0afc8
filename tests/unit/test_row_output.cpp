// The output formats `query` and `score` share: the same rows as CSV, JSON and an aligned table.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "io/row_output.hpp"

using namespace mhwopt;

namespace {

std::string print(RowFormat format, const std::vector<std::string>& names, const std::vector<std::vector<OutputCell>>& rows) {
    std::ostringstream out;
    RowPrinter printer(out, format, names);
    for (const auto& row : rows) printer.add(row);
    printer.finish();
    return out.str();
}

const std::vector<std::string> kNames = {"name", "level", "score", "note"};
const std::vector<std::vector<OutputCell>> kRows = {
    {OutputCell::of(std::string("Helm, Alpha")), OutputCell::of(std::int64_t{7}), OutputCell::of(102.20599999999999), OutputCell::null()},
    {OutputCell::of(std::string("Caf\u00e9 \"Cap\"")), OutputCell::of(std::int64_t{-12}), OutputCell::of(0.5), OutputCell::of(std::string("x"))},
};

}  // namespace

TEST_CASE("rows as CSV: RFC 4180 quoting, exact reals, NULL as an empty cell", "[output]") {
    CHECK(print(RowFormat::Csv, kNames, kRows) ==
          "name,level,score,note\n\"Helm, Alpha\",7,102.20599999999999,\n\"Caf\u00e9 \"\"Cap\"\"\",-12,0.5,x\n");
}

TEST_CASE("rows as JSON: typed values, a repeated column name kept as name:2", "[output]") {
    CHECK(print(RowFormat::Json, kNames, kRows) ==
          "[\n{\"name\":\"Helm, Alpha\",\"level\":7,\"score\":102.20599999999999,\"note\":null},\n"
          "{\"name\":\"Caf\u00e9 \\\"Cap\\\"\",\"level\":-12,\"score\":0.5,\"note\":\"x\"}\n]\n");
    CHECK(print(RowFormat::Json, {"a", "a", "a:2"}, {{OutputCell::of(std::int64_t{1}), OutputCell::of(std::int64_t{2}), OutputCell::of(std::int64_t{3})}}) ==
          "[\n{\"a\":1,\"a:3\":2,\"a:2\":3}\n]\n");
    CHECK(print(RowFormat::Json, kNames, {}) == "[]\n");
}

TEST_CASE("rows as a table: aligned by characters, numbers to the right (headers left), reals to 15 digits", "[output]") {
    CHECK(print(RowFormat::Table, kNames, kRows) ==
          "name         level  score    note\n"
          "-----------  -----  -------  ----\n"
          "Helm, Alpha      7  102.206  \n"
          "Caf\u00e9 \"Cap\"     -12      0.5  x\n");
    CHECK(print(RowFormat::Table, {"only"}, {}) == "only\n----\n");
}
