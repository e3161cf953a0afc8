#include "io/row_output.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/results_writer.hpp"

namespace mhwopt {

namespace {

std::size_t display_width(const std::string& text) {
    std::size_t width = 0;
    for (unsigned char c : text) width += (c & 0xC0) != 0x80;  // code points, not bytes
    return width;
}

// Integers and texts as they are, reals in the shortest form that reads back exactly, NULL as nothing.
std::string exact_text(const OutputCell& cell) {
    switch (cell.kind) {
        case OutputCell::Kind::Integer: return std::to_string(cell.integer);
        case OutputCell::Kind::Real: return fmt::format("{}", cell.real);
        case OutputCell::Kind::Null: return {};
        default: return cell.text;
    }
}

nlohmann::ordered_json json_value(const OutputCell& cell) {
    switch (cell.kind) {
        case OutputCell::Kind::Integer: return cell.integer;
        case OutputCell::Kind::Real: return cell.real;
        case OutputCell::Kind::Null: return nullptr;
        default: return cell.text;
    }
}

}  // namespace

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

RowPrinter::RowPrinter(std::ostream& out, RowFormat format, std::vector<std::string> names)
    : out_(out), format_(format), names_(std::move(names)) {
    if (format_ == RowFormat::Csv) {
        std::string line;
        for (std::size_t c = 0; c < names_.size(); ++c) line += (c ? "," : "") + csv_field(names_[c]);
        out_ << line << '\n';
    } else if (format_ == RowFormat::Json) {
        keys_ = unique_keys(names_);
        out_ << '[';
    } else {
        for (const std::string& name : names_) widths_.push_back(display_width(name));
    }
}

void RowPrinter::add(const std::vector<OutputCell>& row) {
    if (format_ == RowFormat::Csv) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) line += (c ? "," : "") + csv_field(exact_text(row[c]));
        out_ << line << '\n';
    } else if (format_ == RowFormat::Json) {
        nlohmann::ordered_json object = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < row.size(); ++c) object[keys_[c]] = json_value(row[c]);
        out_ << (first_row_ ? "\n" : ",\n") << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
        std::vector<std::string> texts;
        std::vector<bool> numeric;
        for (const OutputCell& cell : row) {
            // For reading, 15 digits as the sqlite3 shell shows them (102.206, not
            // 102.20599999999999); --csv and --json keep the exact value.
            texts.push_back(cell.kind == OutputCell::Kind::Real ? fmt::format("{:.15g}", cell.real) : exact_text(cell));
            numeric.push_back(cell.kind == OutputCell::Kind::Integer || cell.kind == OutputCell::Kind::Real);
        }
        if (printed_header_) {
            print_table_row(texts, numeric);
        } else {
            for (std::size_t c = 0; c < texts.size(); ++c) widths_[c] = std::max(widths_[c], display_width(texts[c]));
            buffered_.emplace_back(std::move(texts), std::move(numeric));
            if (buffered_.size() >= kRowsMeasured) flush_table();
        }
    }
    first_row_ = false;
}

void RowPrinter::finish() {
    if (format_ == RowFormat::Table) flush_table();
    if (format_ == RowFormat::Json) out_ << (first_row_ ? "]\n" : "\n]\n");
}

void RowPrinter::flush_table() {
    if (!printed_header_) {
        printed_header_ = true;
        print_table_row(names_, std::vector<bool>(names_.size(), false));
        std::string rule;
        for (std::size_t c = 0; c < widths_.size(); ++c) rule += (c ? "  " : "") + std::string(widths_[c], '-');
        out_ << rule << '\n';
    }
    for (const auto& [row, numeric] : buffered_) print_table_row(row, numeric);
    buffered_.clear();
}

void RowPrinter::print_table_row(const std::vector<std::string>& row, const std::vector<bool>& numeric) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
        const std::size_t width = display_width(row[c]);
        const std::string pad(widths_[c] > width ? widths_[c] - width : 0, ' ');
        if (c) line += "  ";
        line += numeric[c] ? pad + row[c] : (c + 1 == row.size() ? row[c] : row[c] + pad);
    }
    out_ << line << '\n';
}

}  // namespace mhwopt
