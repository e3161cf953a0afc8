#pragma once
// An RFC 4180 reader that knows where every cell starts (line and column, 1-based, columns in
// characters), so that every complaint about a file can point at the exact spot.
#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "io/text_input.hpp"

namespace mhwopt {

struct CsvCell {
    std::string text;
    int line = 0;
    int column = 0;
};

struct CsvRecord {
    std::vector<CsvCell> cells;  // at most max_cells are kept...
    std::size_t cell_count = 0;  // ...but all are counted
    int line = 0;                // where the record starts
    int end_line = 0;            // where it ends, and the column just past its last character
    int end_column = 0;
};

class CsvReader {
public:
    static constexpr std::size_t kDefaultMaxFieldBytes = 1 << 16;

    CsvReader(std::istream& in, std::string file_name, TextEncoding encoding,
              std::size_t max_cells = 64, std::size_t max_field_bytes = kDefaultMaxFieldBytes);

    // Reads the next record; false at the end of the input. Blank lines are skipped.
    bool next(CsvRecord& record);

    // The line just past the last one read: where "the file ends" is reported.
    int end_line() const { return line_; }
    const std::string& file_name() const { return file_name_; }

private:
    int get();  // next byte with position tracking
    int peek();
    [[noreturn]] void fail(int line, int column, const std::string& message) const;

    TextInput input_;
    std::string file_name_;
    std::size_t max_cells_;
    std::size_t max_field_bytes_;
    int lookahead_ = -2;  // -2: none
    int line_ = 1;
    int column_ = 1;
    int last_line_end_column_ = 1;
};

}  // namespace mhwopt
