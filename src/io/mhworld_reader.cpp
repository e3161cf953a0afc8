#include "io/mhworld_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "io/csv_reader.hpp"
#include "io/equipment_reader.hpp"
#include "io/named_csv.hpp"

namespace mhwopt {

namespace fs = std::filesystem;

RarityRange parse_rarity_range(const std::string& text) {
    RarityRange range;
    const std::size_t dash = text.find('-');
    try {
        std::size_t used = 0;
        range.min = std::stoi(text.substr(0, dash), &used);
        if (used != (dash == std::string::npos ? text.size() : dash)) throw std::invalid_argument(text);
        range.max = range.min;
        if (dash != std::string::npos) {
            range.max = std::stoi(text.substr(dash + 1), &used);
            if (used != text.size() - dash - 1) throw std::invalid_argument(text);
        }
    } catch (const std::exception&) {
        throw UsageError(fmt::format("--rarity \"{}\": expected MIN or MIN-MAX, for example 12 or 10-12", text));
    }
    if (range.min < 0 || range.max < range.min)
        throw UsageError(fmt::format("--rarity \"{}\": expected 0 <= MIN <= MAX", text));
    return range;
}

fs::path mhworld_data_root(const std::string& path) {
    fs::path p(path);
    if (fs::is_regular_file(p)) return p.parent_path().parent_path();  // .../armors/armor_base.csv
    if (fs::is_directory(p / "source_data")) return p / "source_data";
    return p;
}

namespace {

void add_skill(Catalogue& catalogue, Piece& piece, const NamedCsv& csv, const std::string& name_column, const std::string& level_column) {
    if (csv.text(name_column).empty()) return;
    piece.skills.push_back({catalogue.intern_skill(csv.text(name_column)), csv.number(level_column)});
}

}  // namespace

Catalogue read_mhworld(const std::string& path, const std::optional<RarityRange>& rarity, const WarningSink& warn) {
    const fs::path root = mhworld_data_root(path);
    const RarityRange range = rarity.value_or(RarityRange{});
    Catalogue catalogue;

    // Skills first, keyed by armour name, so pieces can be built in armor_base.csv's order.
    std::unordered_map<std::string, std::vector<std::pair<std::string, int>>> skills_by_armour;
    {
        NamedCsv skills(root / "armors" / "armor_skills_ext.csv", {"base_name_en", "skill1_name", "skill1_level|skill1_pts", "skill2_name", "skill2_level|skill2_pts"});
        while (skills.next()) {
            auto& list = skills_by_armour[skills.text("base_name_en")];
            for (auto [n, l] : {std::pair{"skill1_name", "skill1_level"}, std::pair{"skill2_name", "skill2_level"}})
                if (!skills.text(n).empty()) list.emplace_back(skills.text(n), skills.number(l));
        }
    }

    const std::map<std::string, Part> armour_types = {{"head", Part::Head}, {"chest", Part::Body}, {"arms", Part::Arms},
                                                      {"waist", Part::Waist}, {"legs", Part::Legs}};
    std::array<std::unordered_set<std::string>, kPartCount> seen;
    NamedCsv armours(root / "armors" / "armor_base.csv", {"name_en", "rarity", "type", "slot_1", "slot_2", "slot_3", "defense_base"});
    while (armours.next()) {
        const int piece_rarity = armours.number("rarity");
        if (piece_rarity < range.min || piece_rarity > range.max) continue;
        auto type = armour_types.find(armours.text("type"));
        if (type == armour_types.end()) {
            const CsvCell& c = armours.cell("type");
            throw DataError(armours.path(), c.line, c.column, fmt::format("type: found \"{}\", expected head, chest, arms, waist or legs", c.text));
        }
        Piece piece;
        piece.name = armours.text("name_en");
        piece.part = type->second;
        piece.source_line = armours.line();
        piece.defence = armours.number("defense_base");
        for (const char* slot : {"slot_1", "slot_2", "slot_3"}) {
            const int level = armours.number(slot);
            if (level > static_cast<int>(kSlotLevels)) {
                const CsvCell& c = armours.cell(slot);
                throw DataError(armours.path(), c.line, c.column, fmt::format("{}: found \"{}\", expected a slot level from 0 to 4", slot, c.text));
            }
            if (level > 0) ++piece.slots[level - 1];
        }
        auto skills = skills_by_armour.find(piece.name);
        if (skills == skills_by_armour.end()) {
            if (warn) warn(fmt::format("{}:{}:1: \"{}\" has no row in armor_skills_ext.csv; read with no skills", armours.path(), armours.line(), piece.name));
        } else {
            for (const auto& [name, level] : skills->second) piece.skills.push_back({catalogue.intern_skill(name), level});
        }
        if (!seen[index_of(piece.part)].insert(piece.name).second) {
            if (warn) warn(fmt::format("{}:{}:1: \"{}\" appears twice as a {} piece; the second is left out", armours.path(), armours.line(), piece.name, part_name(piece.part)));
            continue;
        }
        catalogue.add_piece(std::move(piece));
    }

    NamedCsv charms(root / "charms" / "charm_base.csv", {"name_en", "rarity", "skill1_name", "skill1_level", "skill2_name", "skill2_level"});
    while (charms.next()) {
        const int charm_rarity = charms.number("rarity");
        if (charm_rarity < range.min || charm_rarity > range.max) continue;
        Piece piece;
        piece.name = charms.text("name_en");
        piece.part = Part::Charm;
        piece.source_line = charms.line();
        add_skill(catalogue, piece, charms, "skill1_name", "skill1_level");
        add_skill(catalogue, piece, charms, "skill2_name", "skill2_level");
        if (!seen[index_of(Part::Charm)].insert(piece.name).second) {
            if (warn) warn(fmt::format("{}:{}:1: charm \"{}\" appears twice; the second is left out", charms.path(), charms.line(), piece.name));
            continue;
        }
        catalogue.add_piece(std::move(piece));
    }

    for (Part part : kAllParts)
        if (catalogue.pieces(part).empty())
            throw DataError(root.string(), 1, 1, fmt::format("found no {} pieces{}, expected at least one piece of every part",
                                                             part_name(part), rarity ? fmt::format(" of rarity {}-{}", range.min, range.max) : ""));
    return catalogue;
}

}  // namespace mhwopt
