#include "io/results_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

namespace mhwopt {

std::string capitalize_words(std::string_view text) {
    std::string out(text);
    bool word_start = true;
    for (char& c : out) {
        if (c == ' ') { word_start = true; continue; }
        if (word_start) { if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A'); }
        else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        word_start = false;
    }
    return out;
}

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += "\"\"";
        else out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::vector<SkillId> output_skill_columns(const Catalogue& catalogue, const RowSource& rows) {
    // Marking the pieces first keeps the work per row to six stores, whatever their skills.
    std::array<std::vector<bool>, kPartCount> worn;
    for (Part part : kAllParts) worn[index_of(part)].assign(catalogue.pieces(part).size(), false);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Positions row = rows[r];
        for (std::size_t p = 0; p < kPartCount; ++p) worn[p][row[p]] = true;
    }
    std::vector<bool> used(catalogue.skill_count(), false);
    for (Part part : kAllParts)
        for (std::size_t i = 0; i < worn[index_of(part)].size(); ++i)
            if (worn[index_of(part)][i])
                for (const SkillLevel& s : catalogue.pieces(part)[i].skills) used[s.skill] = true;
    std::vector<SkillId> columns;
    for (SkillId id = 0; id < used.size(); ++id)
        if (used[id]) columns.push_back(id);
    // std::string compares bytes, and UTF-8 byte order is code-point order.
    std::sort(columns.begin(), columns.end(),
              [&](SkillId a, SkillId b) { return catalogue.skill_name(a) < catalogue.skill_name(b); });
    return columns;
}

std::vector<SkillId> output_skill_columns(const Catalogue& catalogue, const std::vector<Positions>& rows) {
    return output_skill_columns(catalogue, RowSource(rows));
}

namespace {

char* put_int(char* p, int value) {
    if (value >= 0 && value < 10) {  // nearly every level and slot count
        *p = static_cast<char>('0' + value);
        return p + 1;
    }
    return std::to_chars(p, p + 16, value).ptr;
}

}  // namespace

void write_results_csv(std::ostream& out, const Catalogue& catalogue, const RowSource& rows,
                       const std::function<void(std::size_t)>& on_row) {
    const std::vector<SkillId> columns = output_skill_columns(catalogue, rows);
    std::string header = "Head,Body,Arms,Waist,Legs,Charm";
    for (SkillId id : columns) header += "," + csv_field(capitalize_words(catalogue.skill_name(id)));
    header += ",Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence\n";
    out.write(header.data(), static_cast<std::streamsize>(header.size()));

    // A million rows of a hundred and fifty columns each: names are quoted once, levels are summed
    // straight into their columns, and rows are formatted into a large block written at once.
    std::array<std::vector<std::string>, kPartCount> names;
    std::size_t longest_names = 0;
    for (Part part : kAllParts) {
        std::size_t longest = 0;
        for (const Piece& piece : catalogue.pieces(part)) {
            names[index_of(part)].push_back(csv_field(piece.name));
            longest = std::max(longest, names[index_of(part)].back().size());
        }
        longest_names += longest;
    }
    std::vector<std::size_t> column_of(catalogue.skill_count(), 0);
    for (std::size_t c = 0; c < columns.size(); ++c) column_of[columns[c]] = c;
    std::vector<int> levels(columns.size(), 0);
    std::vector<std::size_t> touched;  // the columns this row's pieces add to
    // Most of a row's skill columns are 0: the zeros are copied at once and the few single-digit
    // levels written over them; other levels take the general path.
    std::string zeros;
    for (std::size_t c = 0; c < columns.size(); ++c) zeros += ",0";
    const std::size_t longest_row = longest_names + (columns.size() + kSlotLevels + 1 + kPartCount) * 13;
    constexpr std::size_t kBlock = 1 << 20;
    std::vector<char> block(kBlock + longest_row);
    char* p = block.data();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Positions row = rows[r];
        std::array<int, kSlotLevels> slots{};
        int defence = 0;
        for (Part part : kAllParts) {
            const std::size_t i = index_of(part);
            if (part != Part::Head) *p++ = ',';
            const std::string& name = names[i][row[i]];
            p = std::copy(name.begin(), name.end(), p);
            const Piece& piece = catalogue.pieces(part)[row[i]];
            for (std::size_t l = 0; l < kSlotLevels; ++l) slots[l] += piece.slots[l];
            defence += piece.defence;
            for (const SkillLevel& s : piece.skills) {
                levels[column_of[s.skill]] += s.level;
                touched.push_back(column_of[s.skill]);
            }
        }
        const bool single_digits = std::all_of(touched.begin(), touched.end(), [&](std::size_t c) { return levels[c] >= 0 && levels[c] < 10; });
        if (single_digits) {
            std::copy(zeros.begin(), zeros.end(), p);
            for (std::size_t c : touched) p[2 * c + 1] = static_cast<char>('0' + levels[c]);
            p += zeros.size();
        } else {
            for (const int level : levels) {
                *p++ = ',';
                p = put_int(p, level);
            }
        }
        for (std::size_t c : touched) levels[c] = 0;
        touched.clear();
        for (int count : slots) {
            *p++ = ',';
            p = put_int(p, count);
        }
        *p++ = ',';
        p = put_int(p, defence);
        *p++ = '\n';
        if (static_cast<std::size_t>(p - block.data()) >= kBlock) {
            out.write(block.data(), p - block.data());
            p = block.data();
        }
        if (on_row) on_row(r + 1);
    }
    out.write(block.data(), p - block.data());
}

void write_results_csv(std::ostream& out, const Catalogue& catalogue, const std::vector<Positions>& rows,
                       const std::function<void(std::size_t)>& on_row) {
    write_results_csv(out, catalogue, RowSource(rows), on_row);
}

void print_results(RowPrinterFactory make_printer, const Catalogue& catalogue, const RowSource& rows) {
    const std::vector<SkillId> columns = output_skill_columns(catalogue, rows);
    std::vector<std::string> names = {"Head", "Body", "Arms", "Waist", "Legs", "Charm"};
    for (SkillId id : columns) names.push_back(capitalize_words(catalogue.skill_name(id)));
    for (std::size_t l = 1; l <= kSlotLevels; ++l) names.push_back(fmt::format("Lvl {} Decoration Slot", l));
    names.push_back("Defence");
    RowPrinter printer = make_printer(names);
    std::vector<std::size_t> column_of(catalogue.skill_count(), 0);
    for (std::size_t c = 0; c < columns.size(); ++c) column_of[columns[c]] = c;
    std::vector<OutputCell> row;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Positions positions = rows[r];
        const Totals totals = totals_of(catalogue, positions);
        row.clear();
        for (Part part : kAllParts) row.push_back(OutputCell::of(catalogue.pieces(part)[positions[index_of(part)]].name));
        std::vector<std::int64_t> levels(columns.size(), 0);
        for (const SkillLevel& s : totals.skills) levels[column_of[s.skill]] = s.level;
        for (std::int64_t level : levels) row.push_back(OutputCell::of(level));
        for (int count : totals.slots) row.push_back(OutputCell::of(static_cast<std::int64_t>(count)));
        row.push_back(OutputCell::of(static_cast<std::int64_t>(totals.defence)));
        printer.add(row);
    }
    printer.finish();
}

}  // namespace mhwopt
