#include "io/decorated_results_writer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "io/results_writer.hpp"

namespace mhwopt {

std::string placement_text(const std::vector<Decoration>& decorations, const Placement& placement) {
    std::string placed;
    for (const auto& [index, count] : placement.decorations) {
        if (!placed.empty()) placed += "; ";
        placed += count == 1 ? decorations[index].name : fmt::format("{} x{}", decorations[index].name, count);
    }
    return placed;
}

namespace {

// Columns: every skill any row's pieces carry (as without decorations) or its totals reach, by name.
std::vector<SkillId> decorated_skill_columns(const Catalogue& catalogue, const std::vector<DecoratedRow>& rows) {
    std::vector<bool> used(catalogue.skill_count(), false);
    for (const DecoratedRow& row : rows) {
        for (Part part : kAllParts)
            for (const SkillLevel& s : catalogue.pieces(part)[row.positions[index_of(part)]].skills) used[s.skill] = true;
        for (const SkillLevel& s : row.placement.totals.skills) used[s.skill] = true;
    }
    std::vector<SkillId> columns;
    for (SkillId id = 0; id < used.size(); ++id)
        if (used[id]) columns.push_back(id);
    std::sort(columns.begin(), columns.end(), [&](SkillId a, SkillId b) { return catalogue.skill_name(a) < catalogue.skill_name(b); });
    return columns;
}

// A row's slot columns: the set's slots with the weapon's.
std::array<int, kSlotLevels> slot_counts(const Catalogue& catalogue, const WeaponSlots& weapon, const Positions& positions) {
    std::array<int, kSlotLevels> slots{};
    for (int level : weapon) ++slots[level - 1];
    for (Part part : kAllParts) {
        const Piece& piece = catalogue.pieces(part)[positions[index_of(part)]];
        for (std::size_t l = 0; l < kSlotLevels; ++l) slots[l] += piece.slots[l];
    }
    return slots;
}

}  // namespace

void write_decorated_results_csv(std::ostream& out, const Catalogue& catalogue, const std::vector<Decoration>& decorations,
                                 const WeaponSlots& weapon, const std::vector<DecoratedRow>& rows) {
    const std::vector<SkillId> columns = decorated_skill_columns(catalogue, rows);
    std::vector<std::size_t> column_of(catalogue.skill_count(), 0);
    for (std::size_t c = 0; c < columns.size(); ++c) column_of[columns[c]] = c;

    std::string text = "Head,Body,Arms,Waist,Legs,Charm";
    for (SkillId id : columns) text += "," + csv_field(capitalize_words(catalogue.skill_name(id)));
    text += ",Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence,Decorations,Score\n";
    out << text;
    std::vector<int> levels(columns.size());
    for (const DecoratedRow& row : rows) {
        text.clear();
        for (Part part : kAllParts) {
            if (part != Part::Head) text += ',';
            text += csv_field(catalogue.pieces(part)[row.positions[index_of(part)]].name);
        }
        std::fill(levels.begin(), levels.end(), 0);
        for (const SkillLevel& s : row.placement.totals.skills) levels[column_of[s.skill]] = s.level;
        for (int level : levels) text += fmt::format(",{}", level);
        for (int n : slot_counts(catalogue, weapon, row.positions)) text += fmt::format(",{}", n);
        text += fmt::format(",{},", row.placement.totals.defence);
        text += csv_field(placement_text(decorations, row.placement));
        text += fmt::format(",{}\n", row.placement.score);
        out << text;
    }
}

}  // namespace mhwopt

namespace mhwopt {

void print_decorated_results(RowPrinterFactory make_printer, const Catalogue& catalogue, const std::vector<Decoration>& decorations,
                             const WeaponSlots& weapon, const std::vector<DecoratedRow>& rows) {
    const std::vector<SkillId> columns = decorated_skill_columns(catalogue, rows);
    std::vector<std::string> names = {"Head", "Body", "Arms", "Waist", "Legs", "Charm"};
    for (SkillId id : columns) names.push_back(capitalize_words(catalogue.skill_name(id)));
    for (std::size_t l = 1; l <= kSlotLevels; ++l) names.push_back(fmt::format("Lvl {} Decoration Slot", l));
    for (const char* name : {"Defence", "Decorations", "Score"}) names.emplace_back(name);
    RowPrinter printer = make_printer(names);
    std::vector<std::size_t> column_of(catalogue.skill_count(), 0);
    for (std::size_t c = 0; c < columns.size(); ++c) column_of[columns[c]] = c;
    std::vector<OutputCell> cells;
    for (const DecoratedRow& row : rows) {
        cells.clear();
        for (Part part : kAllParts) cells.push_back(OutputCell::of(catalogue.pieces(part)[row.positions[index_of(part)]].name));
        std::vector<std::int64_t> levels(columns.size(), 0);
        for (const SkillLevel& s : row.placement.totals.skills) levels[column_of[s.skill]] = s.level;
        for (std::int64_t level : levels) cells.push_back(OutputCell::of(level));
        for (int n : slot_counts(catalogue, weapon, row.positions)) cells.push_back(OutputCell::of(static_cast<std::int64_t>(n)));
        cells.push_back(OutputCell::of(static_cast<std::int64_t>(row.placement.totals.defence)));
        cells.push_back(OutputCell::of(placement_text(decorations, row.placement)));
        cells.push_back(OutputCell::of(row.placement.score));
        printer.add(cells);
    }
    printer.finish();
}

}  // namespace mhwopt
