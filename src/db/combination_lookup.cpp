#include "db/combination_lookup.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mhwopt::db {

namespace {

// Merges two id-sorted skill lists, summing levels of equal ids (what totals_of's sort+merge yields).
void merge_skills(const SkillLevel* a, const SkillLevel* a_end, const SkillLevel* b, const SkillLevel* b_end,
                  std::vector<SkillLevel>& out) {
    out.clear();
    while (a != a_end && b != b_end) {
        if (a->skill < b->skill) out.push_back(*a++);
        else if (b->skill < a->skill) out.push_back(*b++);
        else out.push_back({a->skill, (a++)->level + (b++)->level});
    }
    out.insert(out.end(), a, a_end);
    out.insert(out.end(), b, b_end);
}

}  // namespace

CombinationLookup::CombinationLookup(Catalogue catalogue)
    : catalogue_(std::move(catalogue)), codec_(catalogue_), charm_count_(codec_.part_size(Part::Charm)) {
    if (codec_.count() == 0) throw std::runtime_error("the catalogue has a part without pieces");
    for (Part part : kAllParts) {
        first_piece_[index_of(part)] = static_cast<std::uint32_t>(pieces_.size());
        for (const Piece& p : catalogue_.pieces(part)) {
            FlatPiece flat{p.slots, p.defence, static_cast<std::uint32_t>(skills_.size()), 0};
            std::vector<SkillLevel> own = p.skills;
            std::sort(own.begin(), own.end(), [](const SkillLevel& x, const SkillLevel& y) { return x.skill < y.skill; });
            for (const SkillLevel& s : own) {
                if (skills_.size() > flat.skill_begin && skills_.back().skill == s.skill) skills_.back().level += s.level;
                else skills_.push_back(s);
            }
            flat.skill_end = static_cast<std::uint32_t>(skills_.size());
            pieces_.push_back(flat);
        }
    }
    // Capacity for the worst case now, so per-row merges never allocate.
    std::size_t most_skills = 0;
    for (Part part : kAllParts) {
        std::size_t most = 0;
        for (const Piece& p : catalogue_.pieces(part)) most = std::max(most, p.skills.size());
        most_skills += most;
    }
    armour_.skills.reserve(most_skills);
    row_.skills.reserve(most_skills);
}

Positions CombinationLookup::positions(std::int64_t id) const {
    if (id < 0) throw std::out_of_range("combination id " + std::to_string(id) + " is negative");
    return codec_.decode(static_cast<CombinationKey>(id));
}

void CombinationLookup::load_armour(std::uint64_t prefix) {
    armour_.slots = {};
    armour_.defence = 0;
    armour_.skills.clear();
    // The prefix is head..legs in mixed radix; peel digits from legs upwards.
    std::array<std::uint32_t, kPartCount - 1> digits{};
    for (std::size_t p = kPartCount - 1; p-- > 0;) {
        const std::uint32_t size = codec_.part_size(static_cast<Part>(p));
        digits[p] = static_cast<std::uint32_t>(prefix % size);
        prefix /= size;
    }
    for (std::size_t p = 0; p + 1 < kPartCount; ++p) {
        const FlatPiece& flat = piece(static_cast<Part>(p), digits[p]);
        for (std::size_t l = 0; l < kSlotLevels; ++l) armour_.slots[l] += flat.slots[l];
        armour_.defence += flat.defence;
        // Merge into row_ then swap, keeping both buffers' capacity.
        merge_skills(armour_.skills.data(), armour_.skills.data() + armour_.skills.size(), skills_.data() + flat.skill_begin,
                     skills_.data() + flat.skill_end, row_.skills);
        armour_.skills.swap(row_.skills);
    }
}

const Totals& CombinationLookup::totals(std::int64_t id) {
    if (id < 0 || static_cast<std::uint64_t>(id) >= codec_.count())
        throw std::out_of_range("combination id " + std::to_string(id) + " is not between 0 and " + std::to_string(codec_.count() - 1));
    const auto key = static_cast<std::uint64_t>(id);
    const std::uint64_t prefix = key / charm_count_;
    if (prefix != armour_prefix_) {
        load_armour(prefix);
        armour_prefix_ = prefix;
    }
    const FlatPiece& charm = piece(Part::Charm, static_cast<std::uint32_t>(key - prefix * charm_count_));
    for (std::size_t l = 0; l < kSlotLevels; ++l) row_.slots[l] = armour_.slots[l] + charm.slots[l];
    row_.defence = armour_.defence + charm.defence;
    merge_skills(armour_.skills.data(), armour_.skills.data() + armour_.skills.size(), skills_.data() + charm.skill_begin,
                 skills_.data() + charm.skill_end, row_.skills);
    return row_;
}

}  // namespace mhwopt::db
