#include "io/results_writer.hpp"

#include <algorithm>

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

std::vector<SkillId> output_skill_columns(const Catalogue& catalogue, const std::vector<Positions>& rows) {
    std::vector<bool> used(catalogue.skill_count(), false);
    for (const Positions& row : rows)
        for (Part part : kAllParts)
            for (const SkillLevel& s : catalogue.pieces(part)[row[index_of(part)]].skills) used[s.skill] = true;
    std::vector<SkillId> columns;
    for (SkillId id = 0; id < used.size(); ++id)
        if (used[id]) columns.push_back(id);
    // std::string compares bytes, and UTF-8 byte order is code-point order.
    std::sort(columns.begin(), columns.end(),
              [&](SkillId a, SkillId b) { return catalogue.skill_name(a) < catalogue.skill_name(b); });
    return columns;
}

void write_results_csv(std::ostream& out, const Catalogue& catalogue, const std::vector<Positions>& rows,
                       const std::function<void(std::size_t)>& on_row) {
    const std::vector<SkillId> columns = output_skill_columns(catalogue, rows);
    std::string line = "Head,Body,Arms,Waist,Legs,Charm";
    for (SkillId id : columns) line += "," + csv_field(capitalize_words(catalogue.skill_name(id)));
    line += ",Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence\n";
    out << line;

    std::vector<int> level_of(catalogue.skill_count(), 0);
    Totals totals;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        totals_of(catalogue, rows[r], totals);
        line.clear();
        for (Part part : kAllParts) {
            if (part != Part::Head) line.push_back(',');
            line += csv_field(catalogue.pieces(part)[rows[r][index_of(part)]].name);
        }
        for (const SkillLevel& s : totals.skills) level_of[s.skill] = s.level;
        for (SkillId id : columns) line += "," + std::to_string(level_of[id]);
        for (const SkillLevel& s : totals.skills) level_of[s.skill] = 0;
        for (int slots : totals.slots) line += "," + std::to_string(slots);
        line += "," + std::to_string(totals.defence) + "\n";
        out << line;
        if (on_row) on_row(r + 1);
    }
}

}  // namespace mhwopt
