#pragma once
// A catalogue flattened for per-row work in SQL functions: id -> totals or score in a few
// nanoseconds and without allocating. Rows usually arrive in id order, so the five armour pieces'
// merged totals are kept for the last head..legs prefix and only the charm is added per row. The
// totals are exactly totals_of's and score() adds the same terms in the same order as
// Scorer::score, so every engine and SQL function gives bit-identical doubles.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/catalogue.hpp"
#include "core/combination.hpp"
#include "core/scorer.hpp"

namespace mhwopt::db {

class CombinationLookup {
public:
    explicit CombinationLookup(Catalogue catalogue);

    const Catalogue& catalogue() const { return catalogue_; }
    const KeyCodec& codec() const { return codec_; }

    // Each throws std::out_of_range for an id that is negative or not below the combination count.
    const Totals& totals(std::int64_t id);
    Positions positions(std::int64_t id) const;
    // The per-row SQL functions take only what they need, without building the merged skill list.
    int defence(std::int64_t id);
    int slots(std::int64_t id, std::size_t level_index);
    int skill_level(std::int64_t id, SkillId skill);
    double score(const std::shared_ptr<const Scorer>& scorer, std::int64_t id);  // == scorer->score(totals(id))
    // True when score(scorer, id) is certainly below cut: bounds over every id that shares its
    // head..waist, then its head..legs, rule out whole runs without scoring them (a ranking's
    // cut, once known, rules out most). A bound is never below the exact doubles (a margin covers
    // rounding); with infinite or NaN weights it is +inf or NaN and rules nothing out.
    bool below(const std::shared_ptr<const Scorer>& scorer, std::int64_t id, double cut) {
        // Inline for the rows of a run already bounded: most rows of a ranking end here.
        const auto key = static_cast<std::uint64_t>(id);
        if (gains_by_ == scorer) {
            if (valued_by_ == scorer && valued_prefix_ == armour_prefix_ && armour_prefix_ != UINT64_MAX && key - armour_first_key_ < charm_count_)
                return armour_bound_ < cut;
            if (waist_prefix_ != UINT64_MAX && key - waist_first_key_ < waist_run_ && waist_bound_ < cut) return true;
        }
        return below_slow(scorer, id, cut);
    }

private:
    struct FlatPiece {
        std::array<int, kSlotLevels> slots;
        int defence;
        std::uint32_t skill_begin;  // into skills_: sorted by id, merged
        std::uint32_t skill_end;
        bool has_slots;
    };
    const FlatPiece& piece(Part part, std::uint32_t position) const { return pieces_[first_piece_[index_of(part)] + position]; }
    void load_armour(std::uint64_t prefix);
    // Loads the armour totals of the id's prefix; returns the id's charm.
    const FlatPiece& locate(std::int64_t id);

    Catalogue catalogue_;
    KeyCodec codec_;
    std::uint64_t charm_count_;
    std::array<std::uint32_t, kPartCount> first_piece_{};
    std::vector<FlatPiece> pieces_;
    std::vector<SkillLevel> skills_;

    static constexpr std::size_t kArmourParts = kPartCount - 1;  // head..legs; the charm varies fastest
    const Totals& armour() const { return partial_[kArmourParts - 1]; }

    std::uint64_t armour_prefix_ = UINT64_MAX;  // id / charm_count_ of the cached armour totals
    std::uint64_t armour_first_key_ = 0;        // armour_prefix_ * charm_count_
    std::array<std::uint32_t, kArmourParts> digits_{};  // of armour_prefix_
    std::array<Totals, kArmourParts> partial_;  // [p]: the totals of parts 0..p
    Totals row_;

    // The armour's share of the score under the scorer used last, for the cached prefix: a row then
    // costs a few additions. Holding the scorer keeps its address from naming another one.
    void value_armour(const std::shared_ptr<const Scorer>& scorer);
    std::shared_ptr<const Scorer> valued_by_;
    std::uint64_t valued_prefix_ = UINT64_MAX;
    double armour_slot_value_ = 0.0;
    std::vector<double> armour_skill_values_;  // of armour().skills, in the same order
    double armour_bound_ = 0.0;                // armour_bound's, for the cached prefix
    std::shared_ptr<const Scorer> gains_by_;  // the scorer the gains and waist bound below are of
    // The most any charm can add to an armour's score under gains_by_ (a constant a scorer):
    // each charm skill at the armour level where it adds most, its slots and defence.
    double charm_gain_ = 0.0;
    double charm_gain_magnitude_ = 0.0;  // the sum of the absolute terms, for the rounding margin
    std::vector<int> armour_max_level_;  // by skill: the most five armour pieces can have
    // The most one piece of part can add, over the levels its skills can meet before it.
    static void piece_gain(const Scorer& scorer, const FlatPiece& flat, const std::vector<SkillLevel>& skills,
                           const std::vector<int>& max_level_before, double& gain, double& magnitude);
    void value_charms(const Scorer& scorer);
    bool below_slow(const std::shared_ptr<const Scorer>& scorer, std::int64_t id, double cut);
    // The same for the legs over the head..waist levels, and the bound of the cached head..waist.
    double legs_gain_ = 0.0;
    double legs_gain_magnitude_ = 0.0;
    std::vector<int> waist_max_level_;
    std::uint64_t waist_run_ = 0;  // legs × charms: the ids that share a head..waist
    std::uint64_t waist_prefix_ = UINT64_MAX;
    std::uint64_t waist_first_key_ = 0;
    double waist_bound_ = 0.0;
};

}  // namespace mhwopt::db
