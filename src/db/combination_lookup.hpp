#pragma once
// A catalogue flattened for per-row work in SQL functions: id -> Totals in a few nanoseconds and
// without allocating. Rows usually arrive in id order, so the five armour pieces' merged totals
// are kept for the last head..legs prefix and only the charm is merged per row. The Totals built
// are exactly totals_of's, so Scorer::score gives bit-identical doubles.
#include <cstdint>
#include <vector>

#include "core/catalogue.hpp"
#include "core/combination.hpp"

namespace mhwopt::db {

class CombinationLookup {
public:
    explicit CombinationLookup(Catalogue catalogue);

    const Catalogue& catalogue() const { return catalogue_; }
    const KeyCodec& codec() const { return codec_; }

    // Throws std::out_of_range for an id that is negative or not below the combination count.
    const Totals& totals(std::int64_t id);
    Positions positions(std::int64_t id) const;

private:
    struct FlatPiece {
        std::array<int, kSlotLevels> slots;
        int defence;
        std::uint32_t skill_begin;  // into skills_: sorted by id, merged
        std::uint32_t skill_end;
    };
    const FlatPiece& piece(Part part, std::uint32_t position) const { return pieces_[first_piece_[index_of(part)] + position]; }
    void load_armour(std::uint64_t prefix);

    Catalogue catalogue_;
    KeyCodec codec_;
    std::uint64_t charm_count_;
    std::array<std::uint32_t, kPartCount> first_piece_{};
    std::vector<FlatPiece> pieces_;
    std::vector<SkillLevel> skills_;

    std::uint64_t armour_prefix_ = UINT64_MAX;  // id / charm_count_ of the cached armour totals
    Totals armour_;
    Totals row_;
};

}  // namespace mhwopt::db
