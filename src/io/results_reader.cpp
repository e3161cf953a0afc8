#include "io/results_reader.hpp"

#include <charconv>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "core/catalogue.hpp"
#include "core/combination.hpp"
#include "core/scorer.hpp"
#include "io/csv_reader.hpp"
#include "io/results_writer.hpp"

namespace mhwopt {

namespace {

constexpr std::size_t kMaxColumns = 4096;  // the whole game has a few hundred skills
constexpr const char* kExpectedHeader =
    "the header of `mhwopt run`'s output: Head,Body,Arms,Waist,Legs,Charm, skill columns, "
    "Lvl 1 Decoration Slot .. Lvl 4 Decoration Slot, Defence";

struct Layout {
    std::array<std::size_t, kPartCount> parts{};
    std::array<std::size_t, kSlotLevels> slots{};
    std::size_t defence = 0;
    std::optional<std::size_t> decorations;
    std::optional<std::size_t> score;
    std::vector<std::size_t> skills;  // in header order
};

Layout read_layout(const CsvRecord& header, const std::string& file_name, std::vector<std::string>& skill_names) {
    Layout layout;
    std::array<bool, kPartCount> have_part{};
    std::array<bool, kSlotLevels> have_slot{};
    bool have_defence = false;
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t c = 0; c < header.cells.size(); ++c) {
        const CsvCell& cell = header.cells[c];
        if (!seen.emplace(cell.text, c).second)
            throw DataError(file_name, cell.line, cell.column,
                            fmt::format("found the column \"{}\" a second time, expected each column once", cell.text));
        if (cell.text.empty())
            throw DataError(file_name, cell.line, cell.column, fmt::format("found an empty column name, expected {}", kExpectedHeader));
        bool known = false;
        for (Part part : kAllParts)
            if (cell.text == part_name(part)) layout.parts[index_of(part)] = c, have_part[index_of(part)] = known = true;
        for (std::size_t l = 0; l < kSlotLevels; ++l)
            if (cell.text == fmt::format("Lvl {} Decoration Slot", l + 1)) layout.slots[l] = c, have_slot[l] = known = true;
        if (cell.text == "Defence") layout.defence = c, have_defence = known = true;
        if (cell.text == "Decorations") layout.decorations = c, known = true;
        if (cell.text == "Score") layout.score = c, known = true;
        if (!known) {
            layout.skills.push_back(c);
            skill_names.push_back(cell.text);
        }
    }
    std::vector<std::string> missing;
    for (Part part : kAllParts)
        if (!have_part[index_of(part)]) missing.emplace_back(part_name(part));
    for (std::size_t l = 0; l < kSlotLevels; ++l)
        if (!have_slot[l]) missing.push_back(fmt::format("Lvl {} Decoration Slot", l + 1));
    if (!have_defence) missing.emplace_back("Defence");
    if (!missing.empty())
        throw DataError(file_name, header.line, 1,
                        fmt::format("found no column \"{}\", expected {}", fmt::join(missing, "\", \""), kExpectedHeader));
    return layout;
}

int whole_number(const std::string& file_name, const CsvCell& cell, const char* what) {
    int value = 0;
    const char* end = cell.text.data() + cell.text.size();
    const auto [ptr, ec] = std::from_chars(cell.text.data(), end, value);
    if (cell.text.empty() || ec != std::errc() || ptr != end || value < 0)
        throw DataError(file_name, cell.line, cell.column,
                        fmt::format("found \"{}\", expected {} (a whole number, 0 or more)", cell.text, what));
    return value;
}

double real_number(const std::string& file_name, const CsvCell& cell) {
    // strtod rather than from_chars: g++ 12's from_chars for double is not in every libstdc++ build.
    char* end = nullptr;
    const double value = cell.text.empty() ? 0.0 : std::strtod(cell.text.c_str(), &end);
    if (cell.text.empty() || end != cell.text.c_str() + cell.text.size() || !std::isfinite(value))
        throw DataError(file_name, cell.line, cell.column, fmt::format("found \"{}\", expected a score (a number)", cell.text));
    return value;
}

}  // namespace

ReportData read_results_report(std::istream& in, const std::string& file_name, const ResultsReadOptions& options,
                               const WarningSink& warn) {
    if (in.peek() == std::char_traits<char>::eof())
        throw DataError(file_name, 1, 1, fmt::format("found an empty file, expected {}", kExpectedHeader));
    const EncodingFinding encoding = detect_encoding(in, file_name);
    if (encoding.encoding == TextEncoding::Windows1252 && warn)
        warn(fmt::format("{}: not valid UTF-8 (first at line {}, column {}); reading it as Windows-1252", file_name,
                         encoding.first_bad_line, encoding.first_bad_column));
    CsvReader reader(in, file_name, encoding.encoding, kMaxColumns + 1);
    CsvRecord record;
    if (!reader.next(record)) throw DataError(file_name, 1, 1, fmt::format("found an empty file, expected {}", kExpectedHeader));
    if (record.cell_count > kMaxColumns)
        throw DataError(file_name, record.line, record.cells.back().column,
                        fmt::format("found more than {} columns, expected {}", kMaxColumns, kExpectedHeader));
    std::vector<std::string> skill_names;
    const Layout layout = read_layout(record, file_name, skill_names);
    const std::size_t columns = record.cell_count;

    ReportData report;
    // Config skill names are matched as the output writes them ("Wide-Range" becomes "Wide-range").
    std::optional<Config> config;
    std::optional<Catalogue> skill_catalogue;
    std::optional<Scorer> scorer;
    if (options.config) {
        config = *options.config;
        for (auto& [name, rule] : config->skills) name = capitalize_words(name);
        skill_catalogue.emplace();
        for (const std::string& name : skill_names) skill_catalogue->intern_skill(name);
        scorer.emplace(*skill_catalogue, *config);
    }
    for (const std::string& name : skill_names) {
        ReportSkill skill{name, std::nullopt};
        if (config)
            for (const auto& [configured, rule] : config->skills)
                if (configured == name) skill.max = rule.max;
        report.skills.push_back(std::move(skill));
    }
    const bool scored = layout.score || scorer;

    Totals totals;
    std::size_t rows = 0;
    while (reader.next(record)) {
        if (record.cell_count != columns) {
            const bool too_many = record.cell_count > columns;
            const int line = too_many && columns < record.cells.size() ? record.cells[columns].line : record.end_line;
            const int column = too_many && columns < record.cells.size() ? record.cells[columns].column : record.end_column;
            throw DataError(file_name, line, column,
                            fmt::format("found {} cells, expected {} as the header has", record.cell_count, columns));
        }
        ++rows;
        const auto& cells = record.cells;
        totals.slots = {};
        for (std::size_t l = 0; l < kSlotLevels; ++l) totals.slots[l] = whole_number(file_name, cells[layout.slots[l]], "a slot count");
        totals.defence = whole_number(file_name, cells[layout.defence], "a defence");
        std::vector<int> levels(layout.skills.size());
        totals.skills.clear();
        for (std::size_t s = 0; s < layout.skills.size(); ++s) {
            levels[s] = whole_number(file_name, cells[layout.skills[s]], "a skill level");
            if (levels[s] > 0) totals.skills.push_back({static_cast<SkillId>(s), levels[s]});
        }
        std::optional<double> score;
        if (layout.score) score = real_number(file_name, cells[*layout.score]);
        else if (scorer) score = scorer->score(totals);
        if (score) report.all_scores.push_back(*score);

        if (report.sets.size() < options.keep) {
            ReportSet set;
            set.rank = rows;
            for (Part part : kAllParts) set.pieces[index_of(part)] = cells[layout.parts[index_of(part)]].text;
            set.levels = std::move(levels);
            set.slots = totals.slots;
            set.defence = totals.defence;
            set.score = score;
            if (layout.decorations) set.decorations = cells[*layout.decorations].text;
            for (const std::string& name : set.pieces) set.identity += name + '\x1f';
            report.sets.push_back(std::move(set));
        }
        if (options.on_rows && rows % 1024 == 0) options.on_rows(rows);
    }
    if (options.on_rows) options.on_rows(rows);
    report.ranked_count = rows;
    if (!scored) report.all_scores.clear();
    return report;
}

}  // namespace mhwopt
