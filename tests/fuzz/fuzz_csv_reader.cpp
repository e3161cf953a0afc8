// CsvReader over arbitrary bytes. Properties: it returns records or throws DataError, nothing
// else; every cell and every error is located at line >= 1, column >= 1; and the records it reads,
// written back out (RFC 4180) and read again, are the same records.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "io/csv_reader.hpp"

namespace {

using namespace mhwopt;

constexpr std::size_t kMaxCells = 16;
// Small, so that inputs of fuzzing size can reach the too-long-field error.
constexpr std::size_t kMaxFieldBytes = 256;

struct Parsed {
    std::vector<std::vector<std::string>> records;
    bool all_cells_kept = true;
};

Parsed read_all(const std::string& bytes) {
    std::istringstream in(bytes);
    const EncodingFinding encoding = detect_encoding(in, "fuzz.csv");
    CsvReader reader(in, "fuzz.csv", encoding.encoding, kMaxCells, kMaxFieldBytes);
    Parsed parsed;
    CsvRecord record;
    int previous_line = 0;
    while (reader.next(record)) {
        FUZZ_CHECK(record.line >= 1 && record.line > previous_line, "records go forwards");
        FUZZ_CHECK(record.end_line >= record.line && record.end_column >= 1, "a record ends after it starts");
        FUZZ_CHECK(record.cell_count >= 1 && record.cells.size() == std::min(record.cell_count, kMaxCells),
                   "cells are counted and kept up to the limit");
        previous_line = record.line;
        std::vector<std::string> texts;
        for (const CsvCell& cell : record.cells) {
            FUZZ_CHECK(cell.line >= record.line && cell.column >= 1, "a cell is located in its record");
            FUZZ_CHECK(cell.text.size() <= kMaxFieldBytes, "the field limit holds");
            FUZZ_CHECK(cell.text.find('\0') == std::string::npos, "NUL bytes are rejected");
            FUZZ_CHECK(cell.text.find('\r') == std::string::npos, "CR always becomes a line end");
            texts.push_back(cell.text);
        }
        parsed.all_cells_kept &= record.cell_count == record.cells.size();
        parsed.records.push_back(std::move(texts));
    }
    FUZZ_CHECK(reader.end_line() >= 1, "the end is a line");
    return parsed;
}

// Quotes every field: a record of one empty field must not turn into a (skipped) blank line. The
// BOM keeps a U+FEFF that starts the first field from being taken as a BOM on the second read.
std::string write_all(const std::vector<std::vector<std::string>>& records) {
    std::string out = "\xEF\xBB\xBF";
    for (const auto& record : records) {
        for (std::size_t i = 0; i < record.size(); ++i) {
            if (i) out += ',';
            out += '"';
            for (char c : record[i]) {
                if (c == '"') out += '"';
                out += c;
            }
            out += '"';
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    Parsed first;
    try {
        first = read_all(bytes);
    } catch (const DataError& error) {
        fuzz::check_located(error);
        return 0;
    }
    if (!first.all_cells_kept) return 0;  // dropped cells cannot be written back

    const std::string written = write_all(first.records);
    Parsed second;
    try {
        second = read_all(written);
    } catch (const DataError& error) {
        FUZZ_CHECK(false, std::string("written records do not read back: ") + error.what());
    }
    FUZZ_CHECK(second.records == first.records, "records read, written and read again are the same");
    return 0;
}
