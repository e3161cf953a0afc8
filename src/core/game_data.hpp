#pragma once
// What the game adds to the pieces' own skills (issue 10): decorations placed in slots, the weapon's
// slots, set bonuses (enough pieces of one bonus grant a skill) and skill maxima (some raised by a
// secret skill). A catalogue holds the bonuses and maxima it was read with; decorations and weapon
// slots come from the command line, so they are separate.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mhwopt {

using SkillId = std::uint32_t;

struct SkillLevel {
    SkillId skill;
    int level;
};

struct Decoration {
    std::string name;
    int size = 1;                     // fits a slot of this level or higher (1-4)
    std::vector<SkillLevel> skills;   // one or two
    std::optional<int> count;         // owned; empty: unlimited
    int source_line = 0;
};

// A bonus grants `skill` at level 1 once a set wears `pieces` pieces that carry the bonus.
struct SetBonusRule {
    int pieces = 0;
    SkillId skill = 0;
};

struct SetBonus {
    std::string name;
    std::vector<SetBonusRule> rules;
};

// A skill's game maximum. `secret_levels` of the top levels need the skill `secret` active.
struct SkillLimit {
    int max_level = 0;
    int secret_levels = 0;
    std::optional<SkillId> secret;
};

struct GameData {
    std::vector<SetBonus> bonuses;  // Piece::set_bonus indexes this
    // By skill id; empty entries (or ids past the end) have no maximum. Without game data the vector
    // is empty and no level is capped.
    std::vector<std::optional<SkillLimit>> limits;

    bool has_limits() const { return !limits.empty(); }
    // The maximum for a skill given whether its secret skill is active; nullopt: uncapped.
    std::optional<int> cap(SkillId skill, bool secret_active) const {
        if (skill >= limits.size() || !limits[skill]) return std::nullopt;
        const SkillLimit& limit = *limits[skill];
        return secret_active || !limit.secret ? limit.max_level : limit.max_level - limit.secret_levels;
    }
};

// Weapon slot levels (1-4), at most three.
using WeaponSlots = std::vector<int>;

}  // namespace mhwopt
