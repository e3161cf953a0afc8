#pragma once
// The catalogue tables (part, piece, skill, piece_skill, catalogue): written by import, read back by
// every other command and by the SQL functions into the same Catalogue the CSV reader builds,
// with the same positions and skill ids, so scores stay bit-identical to `mhwopt run`. Reading is
// db/extension/catalogue_reader's, shared with the SQL functions (see there why).
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "core/catalogue.hpp"

namespace mhwopt::db {

struct StoredCatalogueInfo {
    std::string content_hash;
    std::string source_file;
    std::string imported;
    std::string radix_sizes;
    std::uint64_t combination_count = 0;
};

class CatalogueStore {
public:
    explicit CatalogueStore(SQLite::Database& db) : db_(db) {}

    std::optional<StoredCatalogueInfo> info() const;

    // Replaces whatever catalogue is stored, with its game data (set bonuses, maxima), and stores
    // `decorations` (skills interned in `catalogue`) in place of any stored before. The caller holds
    // the write transaction.
    void write(const Catalogue& catalogue, const std::string& source_file, const std::vector<Decoration>& decorations = {});
    // Replaces only the stored decorations (the catalogue stored must be the one they were read with).
    void write_decorations(const std::vector<Decoration>& decorations);

    // Throws std::runtime_error when nothing was imported yet.
    Catalogue read() const;
    std::vector<Decoration> read_decorations(const Catalogue& catalogue) const;

    // A digest of everything that affects scores and output: names, parts, order, numbers, skills,
    // and the game data when there is any (a catalogue without keeps the hash it always had).
    // Decorations are not in it: they change no combination id and no plain score.
    static std::string content_hash(const Catalogue& catalogue);

private:
    // The pair tables and the combination_detail view over them (sql/005_piece_pairs.sql).
    void write_pairs(const Catalogue& catalogue);
    void rebuild_dependents();
    SQLite::Database& db_;
};

}  // namespace mhwopt::db
