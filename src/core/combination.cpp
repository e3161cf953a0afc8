#include "core/combination.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mhwopt {

namespace {
std::array<std::uint32_t, kPartCount> sizes_of(const Catalogue& catalogue) {
    std::array<std::uint32_t, kPartCount> sizes{};
    for (Part part : kAllParts) sizes[index_of(part)] = static_cast<std::uint32_t>(catalogue.pieces(part).size());
    return sizes;
}
}  // namespace

KeyCodec::KeyCodec(const Catalogue& catalogue) : KeyCodec(sizes_of(catalogue)) {}

KeyCodec::KeyCodec(const std::array<std::uint32_t, kPartCount>& part_sizes) : sizes_(part_sizes) {
    std::uint64_t stride = 1;
    bool overflow = false;
    for (std::size_t i = kPartCount; i-- > 0;) {
        strides_[i] = stride;
        if (sizes_[i] != 0 && stride > (UINT64_MAX >> 1) / sizes_[i]) overflow = true;
        stride *= sizes_[i];
    }
    // Keys must stay below 2^63 to be SQLite INTEGERs.
    if (overflow) throw std::overflow_error("the catalogue has too many combinations for a 63-bit key");
    count_ = stride;
}

CombinationKey KeyCodec::encode(const Positions& positions) const {
    CombinationKey key = 0;
    for (std::size_t i = 0; i < kPartCount; ++i) key += positions[i] * strides_[i];
    return key;
}

Positions KeyCodec::decode(CombinationKey key) const {
    if (key >= count_) throw std::out_of_range("combination id " + std::to_string(key) + " is not below " + std::to_string(count_));
    Positions positions{};
    for (std::size_t i = 0; i < kPartCount; ++i) {
        positions[i] = static_cast<std::uint32_t>(key / strides_[i]);
        key %= strides_[i];
    }
    return positions;
}

void totals_of(const Catalogue& catalogue, const Positions& positions, Totals& out) {
    out.slots = {};
    out.defence = 0;
    out.skills.clear();
    for (Part part : kAllParts) {
        const Piece& piece = catalogue.pieces(part)[positions[index_of(part)]];
        for (std::size_t l = 0; l < kSlotLevels; ++l) out.slots[l] += piece.slots[l];
        out.defence += piece.defence;
        out.skills.insert(out.skills.end(), piece.skills.begin(), piece.skills.end());
    }
    std::sort(out.skills.begin(), out.skills.end(),
              [](const SkillLevel& a, const SkillLevel& b) { return a.skill < b.skill; });
    std::size_t merged = 0;
    for (std::size_t i = 0; i < out.skills.size(); ++i) {
        if (merged > 0 && out.skills[merged - 1].skill == out.skills[i].skill)
            out.skills[merged - 1].level += out.skills[i].level;
        else
            out.skills[merged++] = out.skills[i];
    }
    out.skills.resize(merged);
}

Totals totals_of(const Catalogue& catalogue, const Positions& positions) {
    Totals totals;
    totals_of(catalogue, positions, totals);
    return totals;
}

}  // namespace mhwopt
