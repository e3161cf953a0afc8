#include "db/extension/catalogue_reader.hpp"

#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "db/extension/c_statement.hpp"
#include "db/extension/sqlite_error.hpp"

namespace mhwopt::db {

Catalogue read_catalogue(sqlite3* db) {
    if (!CStatement(db, "SELECT 1 FROM catalogue WHERE id = 1").step())
        throw std::runtime_error(fmt::format("{}: no catalogue; run 'mhwopt import EQUIPMENT.csv' first", database_label(db)));
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
            current->defence = static_cast<int>(pieces.int64(4));
            for (int l = 0; l < static_cast<int>(kSlotLevels); ++l) current->slots[l] = static_cast<int>(pieces.int64(5 + l));
        }
        if (!pieces.is_null(9)) {
            const std::int64_t skill = pieces.int64(9);
            if (skill < 0 || skill >= static_cast<std::int64_t>(catalogue.skill_count()))
                throw std::runtime_error(fmt::format("{}: piece_skill names skill {}, which is not in the skill table", database_label(db), skill));
            current->skills.push_back({static_cast<SkillId>(skill), static_cast<int>(pieces.int64(10))});
        }
    }
    flush();
    for (Part part : kAllParts)
        if (catalogue.pieces(part).empty())
            throw std::runtime_error(fmt::format("{}: the catalogue has no {} pieces", database_label(db), part_name(part)));
    return catalogue;
}

}  // namespace mhwopt::db
