#include "db/catalogue_store.hpp"

#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

#include "core/combination.hpp"
#include "db/sqlite_error.hpp"
#include "db/statement.hpp"
#include "db/timestamp.hpp"

namespace mhwopt::db {

namespace {

class Fnv1a64 {
public:
    void add(std::string_view bytes) {
        for (unsigned char c : bytes) hash_ = (hash_ ^ c) * 0x100000001b3ULL;
        add_separator();
    }
    void add(std::int64_t number) { add(std::string_view(std::to_string(number))); }
    std::uint64_t value() const { return hash_; }

private:
    void add_separator() { hash_ = (hash_ ^ 0x1f) * 0x100000001b3ULL; }
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string CatalogueStore::content_hash(const Catalogue& catalogue) {
    // Skill names go in by id, so a reordering of first appearances (which changes summation
    // order, hence possibly the last bit of a score) changes the hash.
    Fnv1a64 hash;
    hash.add(static_cast<std::int64_t>(catalogue.skill_count()));
    for (SkillId id = 0; id < catalogue.skill_count(); ++id) hash.add(catalogue.skill_name(id));
    for (Part part : kAllParts) {
        hash.add(part_name(part));
        hash.add(static_cast<std::int64_t>(catalogue.pieces(part).size()));
        for (const Piece& piece : catalogue.pieces(part)) {
            hash.add(piece.name);
            hash.add(piece.defence);
            for (int slots : piece.slots) hash.add(slots);
            hash.add(static_cast<std::int64_t>(piece.skills.size()));
            for (const SkillLevel& s : piece.skills) {
                hash.add(static_cast<std::int64_t>(s.skill));
                hash.add(s.level);
            }
        }
    }
    return fmt::format("fnv1a64:{:016x}", hash.value());
}

std::optional<StoredCatalogueInfo> CatalogueStore::info() const {
    Statement select(db_, "SELECT content_hash, source_file, imported, radix_sizes, combination_count FROM catalogue WHERE id = 1");
    if (!select.step()) return std::nullopt;
    return StoredCatalogueInfo{select.text(0), select.text(1), select.text(2), select.text(3),
                               static_cast<std::uint64_t>(select.int64(4))};
}

void CatalogueStore::write(const Catalogue& catalogue, const std::string& source_file) {
    const KeyCodec codec(catalogue);  // throws before anything is written if keys would not fit
    execute(db_, "DELETE FROM piece_skill; DELETE FROM piece; DELETE FROM skill; DELETE FROM part; DELETE FROM catalogue;",
            "replacing the catalogue");

    Statement insert_skill(db_, "INSERT INTO skill(id, name) VALUES (?, ?)");
    for (SkillId id = 0; id < catalogue.skill_count(); ++id) {
        insert_skill.bind(1, static_cast<std::int64_t>(id)).bind(2, catalogue.skill_name(id)).step();
        insert_skill.reset();
    }

    Statement insert_part(db_, "INSERT INTO part(id, name, piece_count, stride, first_piece) VALUES (?, ?, ?, ?, ?)");
    Statement insert_piece(db_,
        "INSERT INTO piece(id, part, position, name, defence, slots1, slots2, slots3, slots4) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Statement insert_piece_skill(db_, "INSERT INTO piece_skill(piece, ordinal, skill, level) VALUES (?, ?, ?, ?)");
    std::int64_t piece_id = 0;
    std::uint64_t stride = codec.count();
    for (Part part : kAllParts) {
        const auto& pieces = catalogue.pieces(part);
        stride /= pieces.size();
        insert_part.bind(1, static_cast<std::int64_t>(index_of(part)))
            .bind(2, part_name(part))
            .bind(3, static_cast<std::int64_t>(pieces.size()))
            .bind(4, static_cast<std::int64_t>(stride))
            .bind(5, piece_id)
            .step();
        insert_part.reset();
        for (std::size_t position = 0; position < pieces.size(); ++position, ++piece_id) {
            const Piece& piece = pieces[position];
            insert_piece.bind(1, piece_id)
                .bind(2, static_cast<std::int64_t>(index_of(part)))
                .bind(3, static_cast<std::int64_t>(position))
                .bind(4, piece.name)
                .bind(5, std::int64_t{piece.defence});
            for (int l = 0; l < static_cast<int>(kSlotLevels); ++l) insert_piece.bind(6 + l, std::int64_t{piece.slots[l]});
            insert_piece.step();
            insert_piece.reset();
            for (std::size_t s = 0; s < piece.skills.size(); ++s) {
                insert_piece_skill.bind(1, piece_id)
                    .bind(2, static_cast<std::int64_t>(s + 1))
                    .bind(3, static_cast<std::int64_t>(piece.skills[s].skill))
                    .bind(4, std::int64_t{piece.skills[s].level})
                    .step();
                insert_piece_skill.reset();
            }
        }
    }

    Statement insert_meta(db_,
        "INSERT INTO catalogue(id, content_hash, source_file, imported, radix_sizes, combination_count) VALUES (1, ?, ?, ?, ?, ?)");
    insert_meta.bind(1, content_hash(catalogue))
        .bind(2, source_file)
        .bind(3, utc_timestamp())
        .bind(4, part_sizes_text(catalogue, "x"))
        .bind(5, static_cast<std::int64_t>(codec.count()))
        .step();
}

Catalogue CatalogueStore::read() const {
    if (!info())
        throw std::runtime_error(fmt::format("{}: no catalogue; run 'mhwopt import EQUIPMENT.csv' first", database_label(db_)));
    Catalogue catalogue;
    // Interning in id order first reproduces the reader's ids exactly.
    Statement skills(db_, "SELECT id, name FROM skill ORDER BY id");
    while (skills.step()) {
        const SkillId id = catalogue.intern_skill(skills.text(1));
        if (id != static_cast<SkillId>(skills.int64(0)))
            throw std::runtime_error(fmt::format("{}: the skill table is inconsistent (ids are not 0, 1, 2, ...)", database_label(db_)));
    }

    Statement pieces(db_,
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
                                                     database_label(db_)));
            current.emplace();
            current->part = static_cast<Part>(part);
            current->name = pieces.text(3);
            current->defence = static_cast<int>(pieces.int64(4));
            for (int l = 0; l < static_cast<int>(kSlotLevels); ++l) current->slots[l] = static_cast<int>(pieces.int64(5 + l));
        }
        if (!pieces.is_null(9)) {
            const std::int64_t skill = pieces.int64(9);
            if (skill < 0 || skill >= static_cast<std::int64_t>(catalogue.skill_count()))
                throw std::runtime_error(fmt::format("{}: piece_skill names skill {}, which is not in the skill table", database_label(db_), skill));
            current->skills.push_back({static_cast<SkillId>(skill), static_cast<int>(pieces.int64(10))});
        }
    }
    flush();
    for (Part part : kAllParts)
        if (catalogue.pieces(part).empty())
            throw std::runtime_error(fmt::format("{}: the catalogue has no {} pieces", database_label(db_), part_name(part)));
    return catalogue;
}

}  // namespace mhwopt::db
