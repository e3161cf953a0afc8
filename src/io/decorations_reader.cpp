#include "io/decorations_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "io/csv_reader.hpp"
#include "io/equipment_reader.hpp"
#include "io/named_csv.hpp"
#include "io/results_writer.hpp"

namespace mhwopt {

namespace {

enum Column { kName, kSize, kSkill1, kLevel1, kSkill2, kLevel2, kFixedColumns };
constexpr const char* kColumnNames[kFixedColumns] = {"Decoration", "Size", "Skill 1", "Level", "Skill 2", "Level"};

std::string_view trim_blanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// A whole number within [low, high], or nullopt when it is not one.
std::optional<int> whole_number(std::string_view text, int low, int high) {
    text = trim_blanks(text);
    if (text.empty()) return std::nullopt;
    long long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
        if (value > high) return std::nullopt;
    }
    if (value < low) return std::nullopt;
    return static_cast<int>(value);
}

}  // namespace

std::vector<Decoration> read_decorations(std::istream& in, const std::string& file_name, Catalogue& catalogue, const WarningSink& warn) {
    const EncodingFinding encoding = detect_encoding(in, file_name);
    if (encoding.encoding == TextEncoding::Windows1252 && warn)
        warn(fmt::format("{}: not valid UTF-8 (first at line {}, column {}); reading it as Windows-1252",
                         file_name, encoding.first_bad_line, encoding.first_bad_column));
    CsvReader reader(in, file_name, encoding.encoding, 256);
    CsvRecord header;
    if (!reader.next(header))
        throw DataError(file_name, 1, 1, "found an empty file, expected a header row and then one decoration a row");
    if (header.cell_count < kFixedColumns)
        throw DataError(file_name, header.end_line, header.end_column,
                        fmt::format("found {} header cells, expected at least 6: Decoration, Size, Skill 1, Level, Skill 2, Level", header.cell_count));
    // Found by name whatever its letter case, as a person reads a header; a second one would leave
    // which count holds to chance.
    std::optional<std::size_t> count_column;
    for (std::size_t i = kFixedColumns; i < header.cells.size(); ++i) {
        if (capitalize_words(trim_blanks(header.cells[i].text)) != "Count") continue;
        if (count_column)
            throw DataError(file_name, header.cells[i].line, header.cells[i].column,
                            fmt::format("found the column \"{}\" a second time (\"{}\" at column {}), expected one Count column",
                                        header.cells[i].text, header.cells[*count_column].text, header.cells[*count_column].column));
        count_column = i;
    }

    // A decoration's skill is the catalogue's skill of the same name whatever its letter case: the
    // output capitalises column names, so two spellings would make two columns of one name.
    std::unordered_map<std::string, SkillId> by_column_name;
    for (SkillId id = 0; id < catalogue.skill_count(); ++id) by_column_name.emplace(capitalize_words(catalogue.skill_name(id)), id);
    auto skill_of = [&](const CsvCell& cell, const char* column) {
        if (auto exact = catalogue.find_skill(cell.text)) return *exact;
        const std::string key = capitalize_words(cell.text);
        if (auto found = by_column_name.find(key); found != by_column_name.end()) return found->second;
        if (warn)
            warn(fmt::format("{}:{}:{}: {}: \"{}\" is the skill of no piece (letter case aside); it counts as a skill of its own", file_name,
                             cell.line, cell.column, column, cell.text));
        const SkillId id = catalogue.intern_skill(cell.text);
        by_column_name.emplace(key, id);
        return id;
    };

    std::vector<Decoration> decorations;
    std::unordered_map<std::string, int> first_line;
    CsvRecord row;
    while (reader.next(row)) {
        if (row.cell_count != header.cell_count) {
            const bool too_many = row.cell_count > header.cell_count && header.cell_count < row.cells.size();
            throw DataError(file_name, too_many ? row.cells[header.cell_count].line : row.end_line,
                            too_many ? row.cells[header.cell_count].column : row.end_column,
                            fmt::format("found {} cells, expected {} as in the header", row.cell_count, header.cell_count));
        }
        auto fail = [&](std::size_t column, const std::string& name, const std::string& message) {
            const CsvCell& cell = row.cells[column];
            throw DataError(file_name, cell.line, cell.column, fmt::format("{}: {}", name, message));
        };
        auto text = [&](std::size_t column) -> const std::string& { return row.cells[column].text; };
        const std::string level_expected = fmt::format("expected a whole number from 0 to {}", kMaxCellNumber);
        auto level = [&](std::size_t column) {
            const auto value = whole_number(text(column), 0, kMaxCellNumber);
            if (!value)
                fail(column, kColumnNames[column], text(column).empty() ? "found an empty cell, " + level_expected
                                                                        : fmt::format("found \"{}\", {}", text(column), level_expected));
            return *value;
        };

        Decoration deco;
        deco.source_line = row.line;
        deco.name = text(kName);
        if (trim_blanks(deco.name).empty()) fail(kName, "Decoration", "found an empty cell, expected the decoration's name");
        const auto size = whole_number(text(kSize), 1, static_cast<int>(kSlotLevels));
        if (!size)
            fail(kSize, "Size", text(kSize).empty() ? "found an empty cell, expected a whole number from 1 to 4"
                                                    : fmt::format("found \"{}\", expected a whole number from 1 to 4", text(kSize)));
        deco.size = *size;
        if (trim_blanks(text(kSkill1)).empty()) fail(kSkill1, "Skill 1", "found an empty cell, expected the decoration's skill");
        deco.skills.push_back({skill_of(row.cells[kSkill1], "Skill 1"), level(kLevel1)});
        if (!trim_blanks(text(kSkill2)).empty()) deco.skills.push_back({skill_of(row.cells[kSkill2], "Skill 2"), level(kLevel2)});
        if (count_column && !trim_blanks(text(*count_column)).empty()) {
            deco.count = whole_number(text(*count_column), 0, kMaxCellNumber);
            if (!deco.count)
                fail(*count_column, "Count",
                     fmt::format("found \"{}\", expected a whole number from 0 to {}, or an empty cell for unlimited", text(*count_column), kMaxCellNumber));
        }
        auto [seen, inserted] = first_line.emplace(deco.name, row.line);
        if (!inserted)
            throw DataError(file_name, row.line, row.cells[kName].column,
                            fmt::format("Decoration: found \"{}\" a second time (first on line {}), expected each name once", deco.name, seen->second));
        decorations.push_back(std::move(deco));
    }
    return decorations;
}

std::vector<Decoration> read_decorations_file(const std::string& path, Catalogue& catalogue, const WarningSink& warn) {
    InputFile file(path, path);
    return read_decorations(file.stream(), path, catalogue, warn);
}

bool has_mhworld_game(const std::string& path) {
    const fs::path root = mhworld_data_root(path);
    std::error_code ignored;
    for (const fs::path& file : {root / "skills" / "skill_levels.csv", root / "skills" / "skill_base.csv",
                                 root / "armors" / "armorset_bonus_base.csv", root / "armors" / "armorset_base.csv"})
        if (fs::exists(file, ignored)) return true;
    return false;
}

void read_mhworld_game(const std::string& path, Catalogue& catalogue, const WarningSink& warn) {
    const fs::path root = mhworld_data_root(path);
    GameData& game = catalogue.game();

    // Maxima: a skill's number of level rows; `secret` of them need the skill its secret skill unlocks.
    std::map<std::string, int> rows;
    {
        NamedCsv levels(root / "skills" / "skill_levels.csv", {"base_name_en", "level"});
        while (levels.next()) ++rows[levels.text("base_name_en")];
    }
    struct Known { int secret_levels = 0; std::string unlocks; int line = 0; };
    std::map<std::string, Known> skills;
    {
        NamedCsv base(root / "skills" / "skill_base.csv", {"name_en", "secret", "unlocks"});
        while (base.next()) {
            Known k;
            k.line = base.line();
            if (!base.text("secret").empty()) k.secret_levels = base.number("secret");
            k.unlocks = base.text("unlocks");
            skills[base.text("name_en")] = k;
        }
    }
    for (const auto& [name, known] : skills) catalogue.intern_skill(name);
    std::map<std::string, SkillId> secret_for;  // unlocked skill -> its secret skill
    for (const auto& [name, known] : skills)
        if (!known.unlocks.empty()) secret_for[known.unlocks] = catalogue.intern_skill(name);

    // Bonuses by name, then each armour set's pieces pointed at theirs.
    std::map<std::string, int> bonus_index;
    {
        NamedCsv bonuses(root / "armors" / "armorset_bonus_base.csv", {"name_en", "skill1_name", "skill1_required", "skill2_name", "skill2_required"});
        while (bonuses.next()) {
            SetBonus bonus;
            bonus.name = bonuses.text("name_en");
            for (auto [n, r] : {std::pair{"skill1_name", "skill1_required"}, std::pair{"skill2_name", "skill2_required"}})
                if (!bonuses.text(n).empty()) bonus.rules.push_back({bonuses.number(r), catalogue.intern_skill(bonuses.text(n))});
            bonus_index[bonus.name] = static_cast<int>(game.bonuses.size());
            game.bonuses.push_back(std::move(bonus));
        }
    }
    {
        NamedCsv sets(root / "armors" / "armorset_base.csv", {"name_en", "head", "chest", "arms", "waist", "legs", "bonus"});
        while (sets.next()) {
            if (sets.text("bonus").empty()) continue;
            auto bonus = bonus_index.find(sets.text("bonus"));
            if (bonus == bonus_index.end()) {
                const CsvCell& c = sets.cell("bonus");
                throw DataError(sets.path(), c.line, c.column, fmt::format("bonus: found \"{}\", expected a name_en of armorset_bonus_base.csv", c.text));
            }
            for (auto [column, part] : {std::pair{"head", Part::Head}, std::pair{"chest", Part::Body}, std::pair{"arms", Part::Arms},
                                        std::pair{"waist", Part::Waist}, std::pair{"legs", Part::Legs}}) {
                if (sets.text(column).empty()) continue;
                // Pieces left out by --rarity are simply not in the catalogue.
                if (auto position = catalogue.find_piece(part, sets.text(column))) catalogue.set_piece_bonus(part, *position, bonus->second);
            }
        }
    }

    game.limits.assign(catalogue.skill_count(), std::nullopt);
    for (SkillId s = 0; s < catalogue.skill_count(); ++s) {
        const std::string& name = catalogue.skill_name(s);
        auto count = rows.find(name);
        if (count == rows.end()) continue;  // a skill the data set does not know: no maximum
        SkillLimit limit{count->second, 0, std::nullopt};
        auto known = skills.find(name);
        auto secret = secret_for.find(name);
        if (known != skills.end() && known->second.secret_levels > 0 && secret != secret_for.end()) {
            limit.secret_levels = std::min(known->second.secret_levels, limit.max_level);
            limit.secret = secret->second;
        } else if (known != skills.end() && known->second.secret_levels > 0 && warn) {
            warn(fmt::format("{}:{}:1: \"{}\" has secret levels but no secret skill unlocks it; its maximum is its full level count",
                             (root / "skills" / "skill_base.csv").string(), known->second.line, name));
        }
        game.limits[s] = limit;
    }
}

std::vector<Decoration> read_mhworld_decorations(const std::string& path, Catalogue& catalogue) {
    const fs::path root = mhworld_data_root(path);
    NamedCsv csv(root / "decorations" / "decoration_base.csv", {"name_en", "slot", "skill1_name", "skill1_level", "skill2_name", "skill2_level"});
    std::vector<Decoration> decorations;
    while (csv.next()) {
        Decoration deco;
        deco.name = csv.text("name_en");
        deco.source_line = csv.line();
        deco.size = csv.number("slot");
        if (deco.size < 1 || deco.size > static_cast<int>(kSlotLevels)) {
            const CsvCell& c = csv.cell("slot");
            throw DataError(csv.path(), c.line, c.column, fmt::format("slot: found \"{}\", expected a whole number from 1 to 4", c.text));
        }
        for (auto [n, l] : {std::pair{"skill1_name", "skill1_level"}, std::pair{"skill2_name", "skill2_level"}})
            if (!csv.text(n).empty()) deco.skills.push_back({catalogue.intern_skill(csv.text(n)), csv.number(l)});
        if (deco.skills.empty()) {
            const CsvCell& c = csv.cell("skill1_name");
            throw DataError(csv.path(), c.line, c.column, "skill1_name: found an empty cell, expected the decoration's skill");
        }
        decorations.push_back(std::move(deco));
    }
    return decorations;
}

}  // namespace mhwopt
