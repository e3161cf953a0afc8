#pragma once
// The equipment a player owns, grouped by part, with skill names interned into dense ids so
// that engines and SQL functions index arrays instead of hashing strings.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/game_data.hpp"
#include "core/part.hpp"

namespace mhwopt {

struct Piece {
    std::string name;
    Part part = Part::Head;
    std::array<int, kSlotLevels> slots{};  // number of decoration slots of each level 1..4
    int defence = 0;
    std::vector<SkillLevel> skills;  // as listed; a skill may appear with level 0
    int source_line = 0;             // where it was read, for messages; 0 when not from a file
    int set_bonus = -1;              // index into GameData::bonuses; -1: none
};

class Catalogue {
public:
    SkillId intern_skill(std::string_view name);
    std::optional<SkillId> find_skill(std::string_view name) const;
    const std::string& skill_name(SkillId id) const { return skill_names_[id]; }
    std::size_t skill_count() const { return skill_names_.size(); }

    // Appends to the piece's part; its position there is its index in file order.
    void add_piece(Piece piece);
    const std::vector<Piece>& pieces(Part part) const { return parts_[index_of(part)]; }
    void set_piece_bonus(Part part, std::uint32_t position, int bonus) { parts_[index_of(part)][position].set_bonus = bonus; }
    std::size_t piece_count() const;

    // Product of the part sizes; saturates at UINT64_MAX.
    std::uint64_t combination_count() const;

    // The position of a piece by exact name within a part, if present.
    std::optional<std::uint32_t> find_piece(Part part, std::string_view name) const;

    // Set bonuses and skill maxima; empty unless read with the game's data.
    GameData& game() { return game_; }
    const GameData& game() const { return game_; }

private:
    GameData game_;
    std::vector<std::string> skill_names_;
    std::unordered_map<std::string, SkillId> skill_ids_;
    std::array<std::vector<Piece>, kPartCount> parts_;
};

// The part sizes in part order, joined: "12 x 9 x 10 x 8 x 11 x 14" with " x ".
std::string part_sizes_text(const Catalogue& catalogue, std::string_view separator);

}  // namespace mhwopt
