#pragma once
// Random small game-shaped catalogues and decorations for the decorated tests (the search against
// the exhaustive one, the SQL ranking against decorated_score): "Skill 0".."Skill N-1", with set
// bonuses, maxima and a secret skill raising Skill 0's on even rounds. One generator, so both
// tests draw the same kind of world; each adds its own config, weapon and filters.
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/catalogue.hpp"

namespace mhwopt::testing {

struct RandomPieces {
    int least = 1;         // pieces a part: least + a die's roll modulo spread
    int spread = 3;
    int defence_step = 10;  // defence: a die's roll times this
};

// Interns `skills` skills and adds every part's pieces (and, when `game`, the set bonuses and the
// skill maxima) to `catalogue`.
inline void add_random_game_pieces(std::mt19937& rng, Catalogue& catalogue, int skills, bool game, const RandomPieces& shape) {
    std::uniform_int_distribution<int> coin(0, 1), die(0, 5), small(0, 3), size(1, 4), skill(0, skills - 1);
    for (int s = 0; s < skills; ++s) catalogue.intern_skill("Skill " + std::to_string(s));
    SkillId secret = 0;
    if (game) {
        secret = catalogue.intern_skill("Secret");
        catalogue.game().bonuses = {SetBonus{"Bonus A", {{2, 1}, {3, secret}}}, SetBonus{"Bonus B", {{1, 2}}}};
    }
    for (Part part : kAllParts) {
        const int n = shape.least + die(rng) % shape.spread;
        for (int i = 0; i < n; ++i) {
            Piece p;
            p.name = std::string(part_name(part)) + " " + std::to_string(i);
            p.part = part;
            if (part != Part::Charm) {
                for (int k = small(rng) % 3; k > 0; --k) ++p.slots[size(rng) - 1];
                p.defence = die(rng) * shape.defence_step;
                if (game && die(rng) < 3) p.set_bonus = coin(rng);
            }
            for (int k = coin(rng) + coin(rng); k > 0; --k) p.skills.push_back({static_cast<SkillId>(skill(rng)), 1 + small(rng) % 2});
            catalogue.add_piece(std::move(p));
        }
    }
    if (game) {
        auto& limits = catalogue.game().limits;
        limits.assign(catalogue.skill_count(), std::nullopt);
        for (int s = 0; s < skills; ++s)
            if (coin(rng)) limits[s] = SkillLimit{2 + small(rng), 0, std::nullopt};
        limits[0] = SkillLimit{3 + small(rng), 1 + coin(rng), secret};
        limits[secret] = SkillLimit{1, 0, std::nullopt};
    }
}

// One to six decorations of the first `skills` skills: a level 1-2 skill, sometimes a second at
// level 1, sometimes an owned count (0 included).
inline std::vector<Decoration> random_decorations(std::mt19937& rng, int skills) {
    std::uniform_int_distribution<int> coin(0, 1), die(0, 5), small(0, 3), size(1, 4), skill(0, skills - 1);
    std::vector<Decoration> decorations;
    for (int d = 0, n = 1 + die(rng); d < n; ++d) {
        Decoration deco{"Jewel " + std::to_string(d), size(rng), {{static_cast<SkillId>(skill(rng)), 1 + coin(rng)}}, std::nullopt, 0};
        if (coin(rng)) deco.skills.push_back({static_cast<SkillId>(skill(rng)), 1});
        if (coin(rng)) deco.count = small(rng);
        decorations.push_back(deco);
    }
    return decorations;
}

}  // namespace mhwopt::testing
