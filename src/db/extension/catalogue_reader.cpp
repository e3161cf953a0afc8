#include "db/extension/catalogue_reader.hpp"

#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "db/extension/c_statement.hpp"
#include "db/extension/sqlite_error.hpp"
#include "io/equipment_reader.hpp"

namespace mhwopt::db {

namespace {

// A stored count (defence, slots, a skill level) as the CSV reader accepts it: a whole number from 0
// to kMaxCellNumber, which keeps the sums of six pieces far from int overflow. Anything else was
// written by something other than mhwopt, and is named with its row rather than wrapped into a
// wrong total (a defence of INT64_MAX once gave defence(0) = -6).
int stored_count(sqlite3* db, const CStatement& row, int column, std::int64_t piece_id, const std::string& piece_name,
                 std::string_view what) {
    const std::int64_t value = row.int64(column);
    if (row.type(column) == SQLITE_INTEGER && value >= 0 && value <= kMaxCellNumber) return static_cast<int>(value);
    const std::string found = row.type(column) == SQLITE_INTEGER ? std::to_string(value)
                              : row.type(column) == SQLITE_NULL  ? std::string("NULL")
                                                                 : fmt::format("'{}'", row.text(column));
    throw std::runtime_error(fmt::format(
        "{}: the catalogue is damaged: piece {} (\"{}\") has {} {}, expected a whole number from 0 to {}; import the equipment again "
        "('mhwopt import EQUIPMENT.csv --replace')", database_label(db), piece_id, piece_name, what, found, kMaxCellNumber));
}

}  // namespace

Catalogue read_catalogue(sqlite3* db) {
    // The sqlite3 shell loads the extension into any file, a new empty one included.
    if (!CStatement(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'catalogue'").step() ||
        !CStatement(db, "SELECT 1 FROM catalogue WHERE id = 1").step())
        throw std::runtime_error(fmt::format("{}: this database holds no mhwopt catalogue; run mhwopt import first", database_label(db)));
    Catalogue catalogue;
    // Interning in id order first reproduces the reader's ids exactly.
    CStatement skills(db, "SELECT id, name FROM skill ORDER BY id");
    while (skills.step()) {
        const SkillId id = catalogue.intern_skill(skills.text(1));
        if (id != static_cast<SkillId>(skills.int64(0)))
            throw std::runtime_error(fmt::format("{}: the skill table is inconsistent (ids are not 0, 1, 2, ...)", database_label(db)));
    }

    CStatement pieces(db,
        "SELECT piece.id, piece.part, piece.position, piece.name, piece.defence, piece.slots1, piece.slots2, piece.slots3, piece.slots4,"
        "       piece_skill.skill, piece_skill.level"
        " FROM piece LEFT JOIN piece_skill ON piece_skill.piece = piece.id"
        " ORDER BY piece.part, piece.position, piece_skill.ordinal");
    std::optional<Piece> current;
    std::int64_t current_id = -1;
    auto flush = [&] {
        if (current) catalogue.add_piece(std::move(*current));
        current.reset();
    };
    while (pieces.step()) {
        if (pieces.int64(0) != current_id) {
            flush();
            current_id = pieces.int64(0);
            const std::int64_t part = pieces.int64(1);
            if (part < 0 || part >= static_cast<std::int64_t>(kPartCount) ||
                pieces.int64(2) != static_cast<std::int64_t>(catalogue.pieces(static_cast<Part>(part)).size()))
                throw std::runtime_error(fmt::format("{}: the piece table is inconsistent (positions are not 0, 1, 2, ... in each part)",
                                                     database_label(db)));
            current.emplace();
            current->part = static_cast<Part>(part);
            current->name = pieces.text(3);
            current->defence = stored_count(db, pieces, 4, current_id, current->name, "defence");
            for (int l = 0; l < static_cast<int>(kSlotLevels); ++l)
                current->slots[l] = stored_count(db, pieces, 5 + l, current_id, current->name, fmt::format("slots{}", l + 1));
        }
        if (!pieces.is_null(9)) {
            const std::int64_t skill = pieces.int64(9);
            if (skill < 0 || skill >= static_cast<std::int64_t>(catalogue.skill_count()))
                throw std::runtime_error(fmt::format("{}: piece_skill names skill {}, which is not in the skill table", database_label(db), skill));
            current->skills.push_back({static_cast<SkillId>(skill),
                                       stored_count(db, pieces, 10, current_id, current->name,
                                                    fmt::format("{} at level", catalogue.skill_name(static_cast<SkillId>(skill))))});
        }
    }
    flush();
    for (Part part : kAllParts)
        if (catalogue.pieces(part).empty())
            throw std::runtime_error(fmt::format("{}: the catalogue has no {} pieces", database_label(db), part_name(part)));
    return catalogue;
}

}  // namespace mhwopt::db
