#include "io/csv_reader.hpp"

#include <fmt/format.h>

namespace mhwopt {

CsvReader::CsvReader(std::istream& in, std::string file_name, TextEncoding encoding, std::size_t max_cells,
                     std::size_t max_field_bytes)
    : input_(in, file_name, encoding), file_name_(std::move(file_name)), max_cells_(max_cells),
      max_field_bytes_(max_field_bytes) {}

void CsvReader::fail(int line, int column, const std::string& message) const {
    throw DataError(file_name_, line, column, message);
}

int CsvReader::peek() {
    if (lookahead_ == -2) lookahead_ = input_.next();
    return lookahead_;
}

int CsvReader::get() {
    const int c = peek();
    lookahead_ = -2;
    if (c == 0) fail(line_, column_, "found a NUL byte, expected text");
    if (c == '\r') {
        if (peek() == '\n') lookahead_ = -2;
        last_line_end_column_ = column_;
        ++line_;
        column_ = 1;
        return '\n';  // CRLF and a lone CR both end a line
    }
    if (c == '\n') {
        last_line_end_column_ = column_;
        ++line_;
        column_ = 1;
    } else if (c >= 0 && (c & 0xC0) != 0x80) {
        ++column_;  // count characters, not UTF-8 continuation bytes
    }
    return c;
}

bool CsvReader::next(CsvRecord& record) {
    for (;;) {
        record.cells.clear();
        record.cell_count = 0;
        record.line = line_;
        if (peek() == -1) return false;
        if (peek() == '\n' || peek() == '\r') {  // a blank line holds no data
            get();
            continue;
        }
        break;
    }
    std::string field;
    for (;;) {
        const int cell_line = line_, cell_column = column_;
        field.clear();
        int c = get();
        if (c == '"') {
            for (;;) {
                c = get();
                if (c == -1) fail(cell_line, cell_column, "found a quoted field that is never closed, expected a closing quote");
                if (c == '"') {
                    if (peek() != '"') break;
                    get();  // a doubled quote is one quote, and counts towards the size limit too
                }
                field.push_back(static_cast<char>(c));
                if (field.size() > max_field_bytes_)
                    fail(cell_line, cell_column, fmt::format("found a field longer than {} bytes, expected at most {}", max_field_bytes_, max_field_bytes_));
            }
            c = get();
            if (c != ',' && c != '\n' && c != -1) {
                fail(line_, column_ - 1, "found text after a closing quote, expected a comma or the end of the line");
            }
        } else {
            while (c != ',' && c != '\n' && c != -1) {
                if (c == '"') fail(line_, column_ - 1, "found a quote inside an unquoted field, expected the whole field in quotes");
                field.push_back(static_cast<char>(c));
                if (field.size() > max_field_bytes_)
                    fail(cell_line, cell_column, fmt::format("found a field longer than {} bytes, expected at most {}", max_field_bytes_, max_field_bytes_));
                c = get();
            }
        }
        if (record.cell_count++ < max_cells_) record.cells.push_back({field, cell_line, cell_column});
        if (c != ',') {
            // get() already moved past the newline; the record ended at the previous position.
            record.end_line = c == -1 ? line_ : line_ - 1;
            record.end_column = c == -1 ? column_ : last_line_end_column_;
            return true;
        }
    }
}

}  // namespace mhwopt
