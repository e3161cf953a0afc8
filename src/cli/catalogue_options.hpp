#pragma once
// Options shared by the commands that read a catalogue (run, import) and those that filter sets
// (run, generate): one definition, so their spelling and help text never drift apart.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/filters.hpp"
#include "core/game_data.hpp"
#include "db/database.hpp"
#include "io/catalogue_source.hpp"

namespace mhwopt::cli {

// A catalogue as players play it (issue 10): with the game data when read with --format mhworld,
// and the decorations of --decorations, whose skills are interned after the game's (so skill ids,
// hence score sums, are the same wherever it is loaded: run, import).
struct GameCatalogue {
    Catalogue catalogue;
    std::vector<Decoration> decorations;
};

struct CatalogueOptions {
    std::string format = "auto";
    std::string rarity;

    void add_to(CLI::App& command);
    Catalogue load(const std::string& path, const WarningSink& warn) const;
    // `decorations`: a decorations CSV, "all" (every decoration of the MHWorldData set; needs the
    // mhworld format, else a UsageError), or empty for none. Every file is read and checked here.
    // The game data is read with the mhworld format; unless `game_required`, only when the data set
    // has its files (import keeps reading trimmed copies that hold only armour and charms).
    GameCatalogue load_with_game(const std::string& path, const std::string& decorations, const WarningSink& warn,
                                 bool game_required = true) const;
};

struct FilterOptions {
    std::vector<std::string> requirements;
    std::optional<int> min_defence;
    std::vector<std::string> excluded;
    std::vector<std::string> pinned;

    void add_to(CLI::App& command);
    Filters parse() const;  // throws UsageError
};

// The weapon's slots as --weapon-slots gives them (run, score, generate): throws UsageError for a bad text.
WeaponSlots parse_weapon_slots_option(const std::string& text);

// --decorations and --weapon-slots for the commands that rank stored combinations (score,
// generate --top): the decorations placed are those `import --decorations` stored, exactly as the
// SQL functions decorated_score and placement place them.
struct StoredDecorationOptions {
    bool decorations = false;
    std::string weapon_slots;  // "L[,L[,L]]", or empty

    void add_to(CLI::App& command);
    // Either option asks for placed decorations (weapon slots alone still score as empty slots).
    bool decorated() const { return decorations || !weapon_slots.empty(); }
    WeaponSlots weapon() const { return parse_weapon_slots_option(weapon_slots); }  // throws UsageError
    // For the runs' weapon_slots column (sql/007_decorated_runs.sql): nullopt when not decorated,
    // else the levels as the SQL functions' WEAPON_SLOTS argument takes them ("" for none).
    std::optional<std::string> stored_text() const;
};

// --journal-mode for the commands that write a database: unset keeps the file's mode (WAL for new files).
struct JournalOption {
    std::string name;

    void add_to(CLI::App& command);
    std::optional<db::JournalMode> mode() const;
};

}  // namespace mhwopt::cli
