#pragma once
// A CSV file whose columns are found by header name, with located errors (the MHWorldData files).
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/csv_reader.hpp"
#include "io/equipment_reader.hpp"

namespace mhwopt {

namespace fs = std::filesystem;

// The data set's directory: `path` itself, its source_data/, or the parent of armors/ for a file.
fs::path mhworld_data_root(const std::string& path);

// A CSV file whose columns are found by header name, with located errors.
class NamedCsv {
public:
    explicit NamedCsv(const fs::path& path, std::vector<std::string> required)
        : path_(path.string()), file_(path_, path_) {
        const EncodingFinding encoding = detect_encoding(file_.stream(), path_);
        reader_.emplace(file_.stream(), path_, encoding.encoding, 256);
        if (!reader_->next(header_)) throw DataError(path_, 1, 1, "found an empty file, expected a header row");
        // "a|b": the column is a, or b in older revisions of the data set; it is looked up as a.
        for (const std::string& spec : required) {
            const std::string name = spec.substr(0, spec.find('|'));
            bool found = false;
            for (std::size_t start = 0; !found && start <= spec.size();) {
                const std::size_t bar = std::min(spec.find('|', start), spec.size());
                const std::string alternative = spec.substr(start, bar - start);
                for (std::size_t i = 0; i < header_.cells.size(); ++i)
                    if (header_.cells[i].text == alternative) { columns_[name] = i; found = true; }
                start = bar + 1;
            }
            if (!found) throw DataError(path_, 1, 1, fmt::format("found no column \"{}\" in the header, expected it", name));
        }
    }

    bool next() {
        if (!reader_->next(row_)) return false;
        if (row_.cell_count != header_.cell_count)
            throw DataError(path_, row_.line, 1, fmt::format("found {} cells, expected {} as in the header", row_.cell_count, header_.cell_count));
        return true;
    }

    const CsvCell& cell(const std::string& column) const { return row_.cells[columns_.at(column)]; }
    const std::string& text(const std::string& column) const { return cell(column).text; }
    int number(const std::string& column) const {
        const CsvCell& c = cell(column);
        long long value = 0;
        bool ok = !c.text.empty();
        for (char ch : c.text) {
            ok = ok && ch >= '0' && ch <= '9' && value <= kMaxCellNumber;
            if (ok) value = value * 10 + (ch - '0');
        }
        ok = ok && value <= kMaxCellNumber;
        if (!ok) throw DataError(path_, c.line, c.column, fmt::format("{}: found \"{}\", expected a whole number from 0 to {}", column, c.text, kMaxCellNumber));
        return static_cast<int>(value);
    }
    int line() const { return row_.line; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    InputFile file_;
    std::optional<CsvReader> reader_;
    CsvRecord header_;
    CsvRecord row_;
    std::map<std::string, std::size_t> columns_;
};

}  // namespace mhwopt
