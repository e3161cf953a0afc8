#pragma once
// The text form of a weapon's slots, "L[,L[,L]]" (levels 1-4, at most three; "" for none), as
// `run --weapon-slots` and the SQL functions' WEAPON_SLOTS argument take it: one parser, so both
// accept exactly the same texts. Callers word the refusal for their context.
#include <optional>
#include <string_view>

#include "core/game_data.hpp"

namespace mhwopt {

inline std::optional<WeaponSlots> parse_weapon_slots_text(std::string_view text) {
    WeaponSlots slots;
    if (text.empty()) return slots;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (item.size() != 1 || item[0] < '1' || item[0] > '4' || slots.size() == 3) return std::nullopt;
        slots.push_back(item[0] - '0');
        if (comma == std::string_view::npos) return slots;
        start = comma + 1;
    }
}

// What a refusal says was expected.
inline constexpr const char* kWeaponSlotsExpected = "L[,L[,L]], up to three slot levels from 1 to 4, for example 4,4,2";

}  // namespace mhwopt
