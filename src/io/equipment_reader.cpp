#include "io/equipment_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "io/csv_reader.hpp"

namespace mhwopt {

namespace {

enum Column { kName, kSkill1, kLevel1, kSkill2, kLevel2, kSlots1, kSlots2, kSlots3, kSlots4, kBodyPart, kDefence, kColumnCount };

constexpr const char* kColumnNames[kColumnCount] = {
    "Name", "Skill 1 Name", "Skill 1 Level", "Skill 2 Name", "Skill 2 Level", "Slots Lvl 1",
    "Slots Lvl 2", "Slots Lvl 3", "Slots Lvl 4", "Body Part", "Base Defence"};

std::string_view trim_blanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

class RowParser {
public:
    RowParser(const std::string& file_name, const CsvRecord& record) : file_name_(file_name), record_(record) {}

    [[noreturn]] void fail(Column column, const std::string& message) const {
        const CsvCell& cell = record_.cells[column];
        throw DataError(file_name_, cell.line, cell.column, fmt::format("{}: {}", kColumnNames[column], message));
    }

    bool empty(Column column) const { return trim_blanks(record_.cells[column].text).empty(); }
    const std::string& text(Column column) const { return record_.cells[column].text; }
    const CsvCell& cell(Column column) const { return record_.cells[column]; }

    // A whole number 0..kMaxCellNumber; blanks around it are allowed, as the original's int() allows.
    int number(Column column) const {
        const std::string_view digits = trim_blanks(text(column));
        const std::string expected = fmt::format("expected a whole number from 0 to {}", kMaxCellNumber);
        if (digits.empty()) fail(column, "found an empty cell, " + expected);
        long long value = 0;
        for (char c : digits) {
            if (c < '0' || c > '9') fail(column, fmt::format("found \"{}\", {}", text(column), expected));
            value = value * 10 + (c - '0');
            if (value > kMaxCellNumber) fail(column, fmt::format("found \"{}\", {}", text(column), expected));
        }
        return static_cast<int>(value);
    }

private:
    const std::string& file_name_;
    const CsvRecord& record_;
};

Piece parse_piece(const std::string& file_name, const CsvRecord& record, Catalogue& catalogue, const WarningSink& warn) {
    const RowParser row(file_name, record);
    Piece piece;
    piece.source_line = record.line;
    piece.name = row.text(kName);
    if (trim_blanks(piece.name).empty()) row.fail(kName, "found an empty cell, expected the piece's name");

    const auto part = parse_part(trim_blanks(row.text(kBodyPart)));
    if (!part) row.fail(kBodyPart, fmt::format("found \"{}\", expected Head, Body, Arms, Waist, Legs or Charm", row.text(kBodyPart)));
    piece.part = *part;

    // An empty skill name means no skill there, whatever its level cell says (the original's rule).
    for (auto [name_column, level_column] : {std::pair{kSkill1, kLevel1}, std::pair{kSkill2, kLevel2}}) {
        if (row.empty(name_column)) continue;
        const int level = row.number(level_column);
        piece.skills.push_back({catalogue.intern_skill(row.text(name_column)), level});
    }

    const bool is_charm = piece.part == Part::Charm;
    bool charm_has_stats = false;
    int slots = 0;
    for (int l = 0; l < static_cast<int>(kSlotLevels); ++l) {
        const auto column = static_cast<Column>(kSlots1 + l);
        if (is_charm && row.empty(column)) continue;
        piece.slots[l] = row.number(column);
        slots += piece.slots[l];
        if (slots > kMaxPieceSlots && !is_charm)
            row.fail(column, fmt::format("found {} slots on the piece up to this level, expected at most {} slots a piece in all", slots,
                                         kMaxPieceSlots));
    }
    if (!(is_charm && row.empty(kDefence))) piece.defence = row.number(kDefence);
    if (is_charm) {
        // Charms add skills only, as in the original; say so rather than drop numbers silently.
        for (int s : piece.slots) charm_has_stats |= s != 0;
        charm_has_stats |= piece.defence != 0;
        piece.slots = {};
        piece.defence = 0;
        if (charm_has_stats && warn)
            warn(fmt::format("{}:{}:{}: charm \"{}\" has slots or defence; charms add skills only, so they are not counted",
                             file_name, record.line, row.cell(kSlots1).column, piece.name));
    }
    return piece;
}

}  // namespace

Catalogue read_equipment(std::istream& in, const std::string& file_name, const WarningSink& warn) {
    const EncodingFinding encoding = detect_encoding(in, file_name);
    if (encoding.encoding == TextEncoding::Windows1252 && warn)
        warn(fmt::format("{}: not valid UTF-8 (first at line {}, column {}); reading it as Windows-1252",
                         file_name, encoding.first_bad_line, encoding.first_bad_column));

    CsvReader reader(in, file_name, encoding.encoding, kColumnCount + 1);
    CsvRecord record;
    if (!reader.next(record))
        throw DataError(file_name, 1, 1, "found an empty file, expected a header row and then one piece a row");

    Catalogue catalogue;
    // Where each name was first seen, per part: a repeated name is an error naming both lines.
    std::array<std::unordered_map<std::string, int>, kPartCount> first_line;
    while (reader.next(record)) {
        if (record.cell_count != kColumnCount) {
            const bool too_many = record.cell_count > kColumnCount;
            const int line = too_many ? record.cells[kColumnCount].line : record.end_line;
            const int column = too_many ? record.cells[kColumnCount].column : record.end_column;
            throw DataError(file_name, line, column,
                            fmt::format("found {} cells, expected 11: name, skill 1 name, skill 1 level, skill 2 name, "
                                        "skill 2 level, slots of level 1, 2, 3 and 4, body part, base defence",
                                        record.cell_count));
        }
        Piece piece = parse_piece(file_name, record, catalogue, warn);
        auto [seen, inserted] = first_line[index_of(piece.part)].emplace(piece.name, record.line);
        if (!inserted)
            throw DataError(file_name, record.line, 1,
                            fmt::format("Name: found \"{}\" a second time among the {} pieces (first on line {}), expected each name once a part",
                                        piece.name, part_name(piece.part), seen->second));
        catalogue.add_piece(std::move(piece));
    }
    for (Part part : kAllParts) {
        if (catalogue.pieces(part).empty())
            throw DataError(file_name, reader.end_line(), 1,
                            fmt::format("found no {} pieces, expected at least one piece of every part "
                                        "(Head, Body, Arms, Waist, Legs, Charm)", part_name(part)));
    }
    return catalogue;
}

Catalogue read_equipment_file(const std::string& path, const WarningSink& warn) {
    InputFile file(path, path);
    return read_equipment(file.stream(), path, warn);
}

}  // namespace mhwopt
