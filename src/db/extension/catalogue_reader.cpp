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

bool has_table(sqlite3* db, const char* name) {
    return CStatement(db, fmt::format("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '{}'", name)).step();
}

// A stored number of the game tables (a level, a count of pieces): a whole number from 0 to
// kMaxCellNumber, as the readers accept; anything else was written by something other than mhwopt.
int stored_game_number(sqlite3* db, const CStatement& row, int column, std::string_view table, std::string_view what) {
    const std::int64_t value = row.int64(column);
    if (row.type(column) == SQLITE_INTEGER && value >= 0 && value <= kMaxCellNumber) return static_cast<int>(value);
    throw std::runtime_error(fmt::format("{}: the catalogue is damaged: {} has {} {}, expected a whole number from 0 to {}; import again",
                                         database_label(db), table, what,
                                         row.type(column) == SQLITE_NULL ? std::string("NULL") : row.text(column), kMaxCellNumber));
}

SkillId stored_skill(sqlite3* db, const CStatement& row, int column, const Catalogue& catalogue, std::string_view table) {
    const std::int64_t skill = row.int64(column);
    if (row.type(column) != SQLITE_INTEGER || skill < 0 || skill >= static_cast<std::int64_t>(catalogue.skill_count()))
        throw std::runtime_error(fmt::format("{}: {} names skill {}, which is not in the skill table", database_label(db), table,
                                             row.type(column) == SQLITE_NULL ? std::string("NULL") : row.text(column)));
    return static_cast<SkillId>(skill);
}

// Set bonuses and skill maxima (sql/006_game_data.sql); the pieces' bonuses are read with the pieces.
void read_game(sqlite3* db, Catalogue& catalogue) {
    GameData& game = catalogue.game();
    CStatement bonuses(db, "SELECT id, name FROM set_bonus ORDER BY id");
    while (bonuses.step()) {
        if (bonuses.int64(0) != static_cast<std::int64_t>(game.bonuses.size()))
            throw std::runtime_error(fmt::format("{}: the set_bonus table is inconsistent (ids are not 0, 1, 2, ...)", database_label(db)));
        game.bonuses.push_back(SetBonus{bonuses.text(1), {}});
    }
    CStatement rules(db, "SELECT bonus, pieces, skill FROM set_bonus_rule ORDER BY bonus, ordinal");
    while (rules.step()) {
        const std::int64_t bonus = rules.int64(0);
        if (bonus < 0 || bonus >= static_cast<std::int64_t>(game.bonuses.size()))
            throw std::runtime_error(fmt::format("{}: set_bonus_rule names bonus {}, which is not in the set_bonus table", database_label(db), bonus));
        game.bonuses[static_cast<std::size_t>(bonus)].rules.push_back(
            {stored_game_number(db, rules, 1, "set_bonus_rule", "pieces"), stored_skill(db, rules, 2, catalogue, "set_bonus_rule")});
    }
    CStatement limits(db, "SELECT skill, max_level, secret_levels, secret FROM skill_limit ORDER BY skill");
    while (limits.step()) {
        // The game reader sizes the table to the skills known then; ids past it have no maximum
        // either way (GameData::cap), so sizing it to every skill gives the same caps.
        if (game.limits.empty()) game.limits.assign(catalogue.skill_count(), std::nullopt);
        const SkillId skill = stored_skill(db, limits, 0, catalogue, "skill_limit");
        SkillLimit limit{stored_game_number(db, limits, 1, "skill_limit", "max_level"),
                         stored_game_number(db, limits, 2, "skill_limit", "secret_levels"), std::nullopt};
        if (!limits.is_null(3)) limit.secret = stored_skill(db, limits, 3, catalogue, "skill_limit");
        game.limits[skill] = limit;
    }
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

    // Read-only commands never migrate: a version-5 file has neither the game tables nor piece.set_bonus.
    const bool game = has_table(db, "set_bonus");
    if (game) read_game(db, catalogue);

    CStatement pieces(db, std::string(
        "SELECT piece.id, piece.part, piece.position, piece.name, piece.defence, piece.slots1, piece.slots2, piece.slots3, piece.slots4,"
        "       piece_skill.skill, piece_skill.level, ") + (game ? "piece.set_bonus" : "NULL") +
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
            int slots = 0;
            for (int l = 0; l < static_cast<int>(kSlotLevels); ++l) {
                current->slots[l] = stored_count(db, pieces, 5 + l, current_id, current->name, fmt::format("slots{}", l + 1));
                slots += current->slots[l];
            }
            if (slots > kMaxPieceSlots)
                throw std::runtime_error(fmt::format(
                    "{}: the catalogue is damaged: piece {} (\"{}\") has {} slots, expected at most {}; import the equipment again "
                    "('mhwopt import EQUIPMENT.csv --replace')", database_label(db), current_id, current->name, slots, kMaxPieceSlots));
            if (!pieces.is_null(11)) {
                const std::int64_t bonus = pieces.int64(11);
                if (pieces.type(11) != SQLITE_INTEGER || bonus < 0 || bonus >= static_cast<std::int64_t>(catalogue.game().bonuses.size()))
                    throw std::runtime_error(fmt::format("{}: piece {} (\"{}\") names set bonus {}, which is not in the set_bonus table",
                                                         database_label(db), current_id, current->name, pieces.text(11)));
                current->set_bonus = static_cast<int>(bonus);
            }
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

std::vector<Decoration> read_stored_decorations(sqlite3* db, const Catalogue& catalogue) {
    std::vector<Decoration> decorations;
    if (!has_table(db, "decoration")) return decorations;
    CStatement rows(db,
        "SELECT decoration.id, decoration.name, decoration.size, decoration.count, decoration_skill.skill, decoration_skill.level"
        " FROM decoration LEFT JOIN decoration_skill ON decoration_skill.decoration = decoration.id"
        " ORDER BY decoration.id, decoration_skill.ordinal");
    std::int64_t current = -1;
    while (rows.step()) {
        if (rows.int64(0) != current) {
            current = rows.int64(0);
            if (current != static_cast<std::int64_t>(decorations.size()))
                throw std::runtime_error(fmt::format("{}: the decoration table is inconsistent (ids are not 0, 1, 2, ...)", database_label(db)));
            Decoration deco;
            deco.name = rows.text(1);
            deco.size = stored_game_number(db, rows, 2, "decoration", "size");
            if (deco.size < 1 || deco.size > static_cast<int>(kSlotLevels))
                throw std::runtime_error(fmt::format("{}: the catalogue is damaged: decoration {} (\"{}\") has size {}, expected 1 to 4; import again",
                                                     database_label(db), current, deco.name, deco.size));
            if (!rows.is_null(3)) deco.count = stored_game_number(db, rows, 3, "decoration", "count");
            decorations.push_back(std::move(deco));
        }
        if (!rows.is_null(4))
            decorations.back().skills.push_back(
                {stored_skill(db, rows, 4, catalogue, "decoration_skill"), stored_game_number(db, rows, 5, "decoration_skill", "level")});
    }
    return decorations;
}

}  // namespace mhwopt::db
