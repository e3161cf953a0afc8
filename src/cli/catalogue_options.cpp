#include "cli/catalogue_options.hpp"

#include <fmt/format.h>

#include "cli/common.hpp"
#include "core/weapon_slots.hpp"
#include "io/decorations_reader.hpp"

namespace mhwopt::cli {

void CatalogueOptions::add_to(CLI::App& command) {
    command.add_option("--format", format, "Equipment format: csv (the original's), mhworld (MHWorldData source CSVs) or auto")
        ->capture_default_str();
    command.add_option("--rarity", rarity, "With --format mhworld: keep one rarity tier, MIN or MIN-MAX (e.g. 12 or 10-12)");
}

Catalogue CatalogueOptions::load(const std::string& path, const WarningSink& warn) const {
    std::optional<RarityRange> range;
    if (!rarity.empty()) range = parse_rarity_range(rarity);
    return load_catalogue(path, parse_catalogue_format(format), range, warn);
}

GameCatalogue CatalogueOptions::load_with_game(const std::string& path, const std::string& decorations, const WarningSink& warn,
                                               bool game_required) const {
    GameCatalogue loaded{load(path, warn), {}};
    const bool game = resolve_catalogue_format(path, parse_catalogue_format(format)) == CatalogueFormat::MhWorld;
    if (game && (game_required || decorations == "all" || has_mhworld_game(path))) read_mhworld_game(path, loaded.catalogue, warn);
    if (decorations == "all") {
        if (!game) throw UsageError("--decorations all: the decorations of the MHWorldData set need --format mhworld; give a decorations CSV instead");
        loaded.decorations = read_mhworld_decorations(path, loaded.catalogue);
    } else if (!decorations.empty()) {
        loaded.decorations = read_decorations_file(decorations, loaded.catalogue, warn);
    }
    return loaded;
}

void FilterOptions::add_to(CLI::App& command) {
    command.add_option("--require", requirements, "Only sets with this skill level, \"SKILL>=N\" (repeatable)");
    command.add_option("--min-defence", min_defence, "Only sets with at least this defence")->check(CLI::NonNegativeNumber);
    command.add_option("--exclude", excluded, "Leave this piece out (repeatable)");
    command.add_option("--pin", pinned, "Wear this piece in every set (repeatable, one per part)");
}

Filters FilterOptions::parse() const {
    Filters filters;
    for (const std::string& text : requirements) filters.requirements.push_back(parse_requirement(text));
    filters.min_defence = min_defence;
    filters.excluded = excluded;
    filters.pinned = pinned;
    return filters;
}

void JournalOption::add_to(CLI::App& command) {
    command.add_option("--journal-mode", name, "wal (default for new files) or delete; both survive kill -9")
        ->check(CLI::IsMember({"wal", "delete"}));
}

std::optional<db::JournalMode> JournalOption::mode() const {
    if (name.empty()) return std::nullopt;
    return name == "delete" ? db::JournalMode::Delete : db::JournalMode::Wal;
}

WeaponSlots parse_weapon_slots_option(const std::string& text) {
    const std::optional<WeaponSlots> slots = parse_weapon_slots_text(text);
    if (!slots) throw UsageError(fmt::format("--weapon-slots \"{}\": expected {}", text, kWeaponSlotsExpected));
    return *slots;
}

void StoredDecorationOptions::add_to(CLI::App& command) {
    command.add_flag("--decorations", decorations,
                     "Fill slots with the decorations stored by 'mhwopt import --decorations'; adds Decorations and Score columns");
    command.add_option("--weapon-slots", weapon_slots, "The weapon's slot levels, L[,L[,L]] (1-4), for decorations too");
}

std::optional<std::string> StoredDecorationOptions::stored_text() const {
    if (!decorated()) return std::nullopt;
    std::string text;
    for (int level : weapon()) text += (text.empty() ? "" : ",") + std::to_string(level);
    return text;
}

}  // namespace mhwopt::cli
