#include "db/catalogue_store.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include <SQLiteCpp/Statement.h>

#include "core/combination.hpp"
#include "db/extension/catalogue_reader.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/extension/sqlite_error.hpp"
#include "db/fnv1a.hpp"
#include "db/sqlite_failure.hpp"
#include "db/timestamp.hpp"

namespace mhwopt::db {

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
    const GameData& game = catalogue.game();
    if (!game.bonuses.empty() || !game.limits.empty()) {
        hash.add(std::string_view("game data"));
        hash.add(static_cast<std::int64_t>(game.bonuses.size()));
        for (const SetBonus& bonus : game.bonuses) {
            hash.add(bonus.name);
            hash.add(static_cast<std::int64_t>(bonus.rules.size()));
            for (const SetBonusRule& rule : bonus.rules) {
                hash.add(rule.pieces);
                hash.add(static_cast<std::int64_t>(rule.skill));
            }
        }
        for (Part part : kAllParts)
            for (const Piece& piece : catalogue.pieces(part)) hash.add(piece.set_bonus);
        // By skill id up to the catalogue's skills: the reader sizes the table to them (same caps).
        for (SkillId id = 0; id < catalogue.skill_count(); ++id) {
            const bool limited = id < game.limits.size() && game.limits[id];
            hash.add(limited ? game.limits[id]->max_level : -1);
            if (!limited) continue;
            hash.add(game.limits[id]->secret_levels);
            hash.add(game.limits[id]->secret ? static_cast<std::int64_t>(*game.limits[id]->secret) : -1);
        }
    }
    return fmt::format("fnv1a64:{:016x}", hash.value());
}

std::optional<StoredCatalogueInfo> CatalogueStore::info() const {
    return with_error_context(db_, {}, [&]() -> std::optional<StoredCatalogueInfo> {
        SQLite::Statement select(db_, "SELECT content_hash, source_file, imported, radix_sizes, combination_count FROM catalogue WHERE id = 1");
        if (!select.executeStep()) return std::nullopt;
        return StoredCatalogueInfo{select.getColumn(0).getString(), select.getColumn(1).getString(), select.getColumn(2).getString(),
                                   select.getColumn(3).getString(), static_cast<std::uint64_t>(select.getColumn(4).getInt64())};
    });
}

namespace {

// Runs a prepared INSERT with its bound values and makes it ready for the next.
void insert_row(SQLite::Statement& insert) {
    insert.exec();
    insert.reset();
}

}  // namespace

void CatalogueStore::write(const Catalogue& catalogue, const std::string& source_file, const std::vector<Decoration>& decorations) {
    const KeyCodec codec(catalogue);  // throws before anything is written if keys would not fit
    with_error_context(db_, "replacing the catalogue", [&] {
        // Referencing rows first: foreign keys are on.
        db_.exec("DELETE FROM decoration_skill; DELETE FROM decoration; DELETE FROM piece_skill; DELETE FROM piece;"
                 "DELETE FROM set_bonus_rule; DELETE FROM set_bonus; DELETE FROM skill_limit; DELETE FROM skill; DELETE FROM part;"
                 "DELETE FROM catalogue; DELETE FROM head_body; DELETE FROM arms_waist; DELETE FROM legs_charm;");
    });

    with_error_context(db_, {}, [&] {
        SQLite::Statement insert_skill(db_, "INSERT INTO skill(id, name) VALUES (?, ?)");
        for (SkillId id = 0; id < catalogue.skill_count(); ++id) {
            insert_skill.bind(1, static_cast<std::int64_t>(id));
            insert_skill.bind(2, catalogue.skill_name(id));
            insert_row(insert_skill);
        }

        const GameData& game = catalogue.game();
        SQLite::Statement insert_bonus(db_, "INSERT INTO set_bonus(id, name) VALUES (?, ?)");
        SQLite::Statement insert_rule(db_, "INSERT INTO set_bonus_rule(bonus, ordinal, pieces, skill) VALUES (?, ?, ?, ?)");
        for (std::size_t b = 0; b < game.bonuses.size(); ++b) {
            insert_bonus.bind(1, static_cast<std::int64_t>(b));
            insert_bonus.bind(2, game.bonuses[b].name);
            insert_row(insert_bonus);
            for (std::size_t r = 0; r < game.bonuses[b].rules.size(); ++r) {
                insert_rule.bind(1, static_cast<std::int64_t>(b));
                insert_rule.bind(2, static_cast<std::int64_t>(r + 1));
                insert_rule.bind(3, std::int64_t{game.bonuses[b].rules[r].pieces});
                insert_rule.bind(4, static_cast<std::int64_t>(game.bonuses[b].rules[r].skill));
                insert_row(insert_rule);
            }
        }
        SQLite::Statement insert_limit(db_, "INSERT INTO skill_limit(skill, max_level, secret_levels, secret) VALUES (?, ?, ?, ?)");
        for (SkillId id = 0; id < game.limits.size() && id < catalogue.skill_count(); ++id) {
            if (!game.limits[id]) continue;
            insert_limit.bind(1, static_cast<std::int64_t>(id));
            insert_limit.bind(2, std::int64_t{game.limits[id]->max_level});
            insert_limit.bind(3, std::int64_t{game.limits[id]->secret_levels});
            if (game.limits[id]->secret) insert_limit.bind(4, static_cast<std::int64_t>(*game.limits[id]->secret));
            else insert_limit.bind(4);
            insert_row(insert_limit);
        }

        SQLite::Statement insert_part(db_, "INSERT INTO part(id, name, piece_count, stride, first_piece) VALUES (?, ?, ?, ?, ?)");
        SQLite::Statement insert_piece(db_,
            "INSERT INTO piece(id, part, position, name, defence, slots1, slots2, slots3, slots4, set_bonus) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        SQLite::Statement insert_piece_skill(db_, "INSERT INTO piece_skill(piece, ordinal, skill, level) VALUES (?, ?, ?, ?)");
        std::int64_t piece_id = 0;
        std::uint64_t stride = codec.count();
        for (Part part : kAllParts) {
            const auto& pieces = catalogue.pieces(part);
            stride /= pieces.size();
            insert_part.bind(1, static_cast<std::int64_t>(index_of(part)));
            insert_part.bind(2, std::string(part_name(part)));
            insert_part.bind(3, static_cast<std::int64_t>(pieces.size()));
            insert_part.bind(4, static_cast<std::int64_t>(stride));
            insert_part.bind(5, piece_id);
            insert_row(insert_part);
            for (std::size_t position = 0; position < pieces.size(); ++position, ++piece_id) {
                const Piece& piece = pieces[position];
                insert_piece.bind(1, piece_id);
                insert_piece.bind(2, static_cast<std::int64_t>(index_of(part)));
                insert_piece.bind(3, static_cast<std::int64_t>(position));
                insert_piece.bind(4, piece.name);
                insert_piece.bind(5, std::int64_t{piece.defence});
                for (int l = 0; l < static_cast<int>(kSlotLevels); ++l) insert_piece.bind(6 + l, std::int64_t{piece.slots[l]});
                if (piece.set_bonus >= 0) insert_piece.bind(10, std::int64_t{piece.set_bonus});
                else insert_piece.bind(10);
                insert_row(insert_piece);
                for (std::size_t s = 0; s < piece.skills.size(); ++s) {
                    insert_piece_skill.bind(1, piece_id);
                    insert_piece_skill.bind(2, static_cast<std::int64_t>(s + 1));
                    insert_piece_skill.bind(3, static_cast<std::int64_t>(piece.skills[s].skill));
                    insert_piece_skill.bind(4, std::int64_t{piece.skills[s].level});
                    insert_row(insert_piece_skill);
                }
            }
        }

        SQLite::Statement insert_meta(db_,
            "INSERT INTO catalogue(id, content_hash, source_file, imported, radix_sizes, combination_count) VALUES (1, ?, ?, ?, ?, ?)");
        insert_meta.bind(1, content_hash(catalogue));
        insert_meta.bind(2, source_file);
        insert_meta.bind(3, utc_timestamp());
        insert_meta.bind(4, part_sizes_text(catalogue, "x"));
        insert_meta.bind(5, static_cast<std::int64_t>(codec.count()));
        insert_meta.exec();
    });
    with_error_context(db_, "building the pair tables", [&] { write_pairs(catalogue); });
    write_decorations(decorations);
    rebuild_dependents();
}

namespace {

// Whether SQL text calls `name(`: the name as a whole word (any letter case), then a parenthesis,
// and not a table named so (`REFERENCES skill(id)`, `ON piece(part)`, `CREATE TABLE skill(`).
bool calls(const std::string& sql, const std::string& name) {
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
    std::string lower(sql);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::size_t at = lower.find(name); at != std::string::npos; at = lower.find(name, at + 1)) {
        if (at > 0 && word(lower[at - 1])) continue;
        std::size_t end = at;
        while (end > 0 && std::isspace(static_cast<unsigned char>(lower[end - 1]))) --end;
        std::size_t begin = end;
        while (begin > 0 && word(lower[begin - 1])) --begin;
        const std::string before = lower.substr(begin, end - begin);
        if (before == "references" || before == "on" || before == "table" || before == "exists") continue;
        std::size_t next = at + name.size();
        while (next < lower.size() && std::isspace(static_cast<unsigned char>(lower[next]))) ++next;
        if (next < lower.size() && lower[next] == '(') return true;
    }
    return false;
}

std::string quoted(const std::string& name) {
    std::string text = "\"";
    for (char c : name) text += c == '"' ? std::string("\"\"") : std::string(1, c);
    return text + "\"";
}

}  // namespace

void CatalogueStore::rebuild_dependents() {
    // The deterministic functions may stand in the user's indexes, generated columns and CHECKs
    // (docs/sql-functions.md), and their values follow the catalogue. Indexes (on expressions or on
    // virtual columns) are rebuilt here, in the caller's transaction, with functions reading the
    // new catalogue; a stored column or a CHECK cannot be, so the new catalogue is refused.
    std::vector<std::string> names;
    std::size_t count = 0;
    const SqlFunctions::Definition* definitions = SqlFunctions::definitions(count);
    for (std::size_t i = 0; i < count; ++i)
        if (definitions[i].deterministic) names.emplace_back(definitions[i].name);
    std::vector<std::string> reindex;
    with_error_context(db_, "finding what depends on the catalogue", [&] {
        SQLite::Statement schema(db_, "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'index') AND sql IS NOT NULL ORDER BY name");
        while (schema.executeStep()) {
            const std::string type = schema.getColumn(0).getString(), name = schema.getColumn(1).getString(), sql = schema.getColumn(2).getString();
            if (!std::any_of(names.begin(), names.end(), [&](const std::string& f) { return calls(sql, f); })) continue;
            if (type == "table" && (calls(sql, "check") || sql.find("STORED") != std::string::npos || sql.find("stored") != std::string::npos))
                throw std::runtime_error(fmt::format(
                    "{}: the table {} computes with mhwopt's SQL functions in a stored generated column or a CHECK constraint, which a "
                    "new catalogue would leave wrong; drop it (or those columns) and import again",
                    database_label(db_.getHandle()), name));
            reindex.push_back(name);  // an index, or a table whose indexes may cover its virtual columns
        }
    });
    if (reindex.empty()) return;
    const SqlFunctions functions = SqlFunctions::install(db_.getHandle());
    with_error_context(db_, "rebuilding the indexes over mhwopt's SQL functions", [&] {
        for (const std::string& name : reindex) db_.exec("REINDEX " + quoted(name));
    });
}

void CatalogueStore::write_decorations(const std::vector<Decoration>& decorations) {
    with_error_context(db_, "storing the decorations", [&] {
        db_.exec("DELETE FROM decoration_skill; DELETE FROM decoration;");
        SQLite::Statement insert(db_, "INSERT INTO decoration(id, name, size, count) VALUES (?, ?, ?, ?)");
        SQLite::Statement insert_skill(db_, "INSERT INTO decoration_skill(decoration, ordinal, skill, level) VALUES (?, ?, ?, ?)");
        for (std::size_t d = 0; d < decorations.size(); ++d) {
            const Decoration& deco = decorations[d];
            insert.bind(1, static_cast<std::int64_t>(d));
            insert.bind(2, deco.name);
            insert.bind(3, std::int64_t{deco.size});
            if (deco.count) insert.bind(4, std::int64_t{*deco.count});
            else insert.bind(4);
            insert_row(insert);
            for (std::size_t s = 0; s < deco.skills.size(); ++s) {
                insert_skill.bind(1, static_cast<std::int64_t>(d));
                insert_skill.bind(2, static_cast<std::int64_t>(s + 1));
                insert_skill.bind(3, static_cast<std::int64_t>(deco.skills[s].skill));
                insert_skill.bind(4, std::int64_t{deco.skills[s].level});
                insert_row(insert_skill);
            }
        }
    });
}

void CatalogueStore::write_pairs(const Catalogue& catalogue) {
    // sql/005_piece_pairs.sql says why. The view gets the strides as literals: reading them from
    // `part` in scalar subqueries cost a third more a row.
    const char* tables[] = {"head_body", "arms_waist", "legs_charm"};
    for (std::size_t pair = 0; pair < 3; ++pair) {
        const Part first = static_cast<Part>(2 * pair), second = static_cast<Part>(2 * pair + 1);
        SQLite::Statement insert(db_, fmt::format("INSERT INTO {}(id, defence, slots1, slots2, slots3, slots4, first, second)"
                                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tables[pair]));
        const auto& firsts = catalogue.pieces(first);
        const auto& seconds = catalogue.pieces(second);
        for (std::size_t a = 0; a < firsts.size(); ++a)
            for (std::size_t b = 0; b < seconds.size(); ++b) {
                insert.bind(1, static_cast<std::int64_t>(a * seconds.size() + b));
                insert.bind(2, std::int64_t{firsts[a].defence} + seconds[b].defence);
                for (std::size_t l = 0; l < kSlotLevels; ++l)
                    insert.bind(3 + static_cast<int>(l), std::int64_t{firsts[a].slots[l]} + seconds[b].slots[l]);
                insert.bind(7, firsts[a].name);
                insert.bind(8, seconds[b].name);
                insert_row(insert);
            }
    }
    const KeyCodec codec(catalogue);
    std::uint64_t body_stride = codec.count() / catalogue.pieces(Part::Head).size() / catalogue.pieces(Part::Body).size();
    std::uint64_t waist_stride = body_stride / catalogue.pieces(Part::Arms).size() / catalogue.pieces(Part::Waist).size();
    db_.exec("DROP VIEW IF EXISTS combination_detail");
    db_.exec(fmt::format(
        "CREATE VIEW combination_detail AS\n"
        "SELECT c.id AS id, hb.first AS head, hb.second AS body, aw.first AS arms, aw.second AS waist, lc.first AS legs, lc.second AS charm,\n"
        "       hb.defence + aw.defence + lc.defence AS defence,\n"
        "       hb.slots1 + aw.slots1 + lc.slots1 AS slots1,\n"
        "       hb.slots2 + aw.slots2 + lc.slots2 AS slots2,\n"
        "       hb.slots3 + aw.slots3 + lc.slots3 AS slots3,\n"
        "       hb.slots4 + aw.slots4 + lc.slots4 AS slots4\n"
        "FROM combination AS c\n"
        "JOIN head_body  AS hb ON hb.id = c.id / {0}  -- the body's stride, when this catalogue was imported\n"
        "JOIN arms_waist AS aw ON aw.id = c.id % {0} / {1}  -- and the waist's\n"
        "JOIN legs_charm AS lc ON lc.id = c.id % {1}",
        body_stride, waist_stride));
}

Catalogue CatalogueStore::read() const { return read_catalogue(db_.getHandle()); }

std::vector<Decoration> CatalogueStore::read_decorations(const Catalogue& catalogue) const {
    return read_stored_decorations(db_.getHandle(), catalogue);
}

}  // namespace mhwopt::db
