#pragma once
// A combination is six piece positions (one per part, in file order within the part). Its key packs
// them in mixed radix with the head most significant, so key order is the original's generation
// order and a key fits one SQLite INTEGER.
#include <array>
#include <cstdint>
#include <vector>

#include "core/catalogue.hpp"

namespace mhwopt {

using Positions = std::array<std::uint32_t, kPartCount>;
using CombinationKey = std::uint64_t;

class KeyCodec {
public:
    explicit KeyCodec(const Catalogue& catalogue);
    explicit KeyCodec(const std::array<std::uint32_t, kPartCount>& part_sizes);

    CombinationKey encode(const Positions& positions) const;
    Positions decode(CombinationKey key) const;  // throws std::out_of_range for a key >= count()
    std::uint64_t count() const { return count_; }
    std::uint32_t part_size(Part part) const { return sizes_[index_of(part)]; }

private:
    std::array<std::uint32_t, kPartCount> sizes_{};
    std::array<std::uint64_t, kPartCount> strides_{};
    std::uint64_t count_ = 0;
};

// What a combination adds up to. Skills are sorted by id and merged, levels summed.
struct Totals {
    std::array<int, kSlotLevels> slots{};
    int defence = 0;
    std::vector<SkillLevel> skills;
};

// Fills `out` (reusing its capacity, so hot loops do not allocate).
void totals_of(const Catalogue& catalogue, const Positions& positions, Totals& out);
Totals totals_of(const Catalogue& catalogue, const Positions& positions);

}  // namespace mhwopt
