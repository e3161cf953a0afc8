#include "db/extension/combination_lookup.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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
            FlatPiece flat{p.slots, p.defence, static_cast<std::uint32_t>(skills_.size()), 0,
                           p.slots != std::array<int, kSlotLevels>{}};
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
    armour_max_level_.assign(catalogue_.skill_count(), 0);
    waist_run_ = charm_count_ * codec_.part_size(Part::Legs);
    for (std::size_t p = 0; p < kArmourParts; ++p) {
        if (p + 1 == kArmourParts) waist_max_level_ = armour_max_level_;
        std::vector<int> most(catalogue_.skill_count(), 0);
        for (std::uint32_t i = 0; i < codec_.part_size(static_cast<Part>(p)); ++i) {
            const FlatPiece& flat = piece(static_cast<Part>(p), i);
            for (std::uint32_t k = flat.skill_begin; k < flat.skill_end; ++k)
                most[skills_[k].skill] = std::max(most[skills_[k].skill], skills_[k].level);
        }
        for (std::size_t k = 0; k < most.size(); ++k) armour_max_level_[k] += most[k];
    }
    // Capacity for the worst case now, so per-row merges never allocate.
    std::size_t most_skills = 0;
    for (Part part : kAllParts) {
        std::size_t most = 0;
        for (const Piece& p : catalogue_.pieces(part)) most = std::max(most, p.skills.size());
        most_skills += most;
    }
    for (Totals& partial : partial_) partial.skills.reserve(most_skills);
    armour_skill_values_.reserve(most_skills);
    row_.skills.reserve(most_skills);
}

Positions CombinationLookup::positions(std::int64_t id) const {
    if (id < 0) throw std::out_of_range("combination id " + std::to_string(id) + " is negative");
    return codec_.decode(static_cast<CombinationKey>(id));
}

void CombinationLookup::load_armour(std::uint64_t prefix) {
    // The prefix is head..legs in mixed radix; peel digits from legs upwards.
    std::array<std::uint32_t, kArmourParts> digits{};
    std::uint64_t rest = prefix;
    for (std::size_t p = kArmourParts; p-- > 0;) {
        const std::uint32_t size = codec_.part_size(static_cast<Part>(p));
        digits[p] = static_cast<std::uint32_t>(rest % size);
        rest /= size;
    }
    // Rows come in id order, where legs change most often: only the parts from the first changed
    // digit down are added again.
    std::size_t first_changed = 0;
    if (armour_prefix_ != UINT64_MAX)
        while (first_changed < kArmourParts && digits[first_changed] == digits_[first_changed]) ++first_changed;
    armour_prefix_ = UINT64_MAX;  // until every partial below is consistent again
    for (std::size_t p = first_changed; p < kArmourParts; ++p) {
        static const Totals nothing;
        const Totals& before = p == 0 ? nothing : partial_[p - 1];
        Totals& after = partial_[p];
        const FlatPiece& flat = piece(static_cast<Part>(p), digits[p]);
        for (std::size_t l = 0; l < kSlotLevels; ++l) after.slots[l] = before.slots[l] + flat.slots[l];
        after.defence = before.defence + flat.defence;
        merge_skills(before.skills.data(), before.skills.data() + before.skills.size(), skills_.data() + flat.skill_begin,
                     skills_.data() + flat.skill_end, after.skills);
    }
    digits_ = digits;
    armour_prefix_ = prefix;
}

const CombinationLookup::FlatPiece& CombinationLookup::locate(std::int64_t id) {
    if (id < 0 || static_cast<std::uint64_t>(id) >= codec_.count())
        throw std::out_of_range("combination id " + std::to_string(id) + " is not between 0 and " + std::to_string(codec_.count() - 1));
    const auto key = static_cast<std::uint64_t>(id);
    // Rows mostly come in id order, so the key usually falls in the cached prefix's run of charms:
    // checked without the 64-bit division, which costs more than the rest of a lookup.
    if (armour_prefix_ == UINT64_MAX || key - armour_first_key_ >= charm_count_) {
        load_armour(key / charm_count_);
        armour_first_key_ = armour_prefix_ * charm_count_;
    }
    return piece(Part::Charm, static_cast<std::uint32_t>(key - armour_first_key_));
}

const Totals& CombinationLookup::totals(std::int64_t id) {
    const FlatPiece& charm = locate(id);
    for (std::size_t l = 0; l < kSlotLevels; ++l) row_.slots[l] = armour().slots[l] + charm.slots[l];
    row_.defence = armour().defence + charm.defence;
    merge_skills(armour().skills.data(), armour().skills.data() + armour().skills.size(), skills_.data() + charm.skill_begin,
                 skills_.data() + charm.skill_end, row_.skills);
    return row_;
}

int CombinationLookup::defence(std::int64_t id) {
    const FlatPiece& charm = locate(id);
    return armour().defence + charm.defence;
}

int CombinationLookup::slots(std::int64_t id, std::size_t level_index) {
    const FlatPiece& charm = locate(id);
    return armour().slots.at(level_index) + charm.slots.at(level_index);
}

int CombinationLookup::skill_level(std::int64_t id, SkillId skill) {
    const FlatPiece& charm = locate(id);
    int level = 0;
    for (const SkillLevel& s : armour().skills)
        if (s.skill == skill) level += s.level;
    for (std::uint32_t i = charm.skill_begin; i < charm.skill_end; ++i)
        if (skills_[i].skill == skill) level += skills_[i].level;
    return level;
}

void CombinationLookup::piece_gain(const Scorer& scorer, const FlatPiece& flat, const std::vector<SkillLevel>& skills,
                                   const std::vector<int>& max_level_before, double& gain, double& magnitude) {
    const Config& config = scorer.config();
    gain = 0.0;
    magnitude = 0.0;
    for (std::uint32_t k = flat.skill_begin; k < flat.skill_end; ++k) {
        const SkillLevel& s = skills[k];
        double best = -std::numeric_limits<double>::infinity();
        for (int level = 0; level <= max_level_before[s.skill]; ++level) {
            const double after = scorer.skill_value(s.skill, level + s.level), before = scorer.skill_value(s.skill, level);
            best = std::max(best, after - before);
            magnitude += std::abs(after) + std::abs(before);
        }
        gain += best;
    }
    // slot_value is linear in the slots, so a piece's slots add exactly their own value.
    for (std::size_t l = 0; l < kSlotLevels; ++l) {
        gain += flat.slots[l] * (config.deco_weights[l] + config.num_decos_weight);
        magnitude += std::abs(flat.slots[l] * config.deco_weights[l]) + std::abs(flat.slots[l] * config.num_decos_weight);
    }
    gain += flat.defence * config.defence_weight;
    magnitude += std::abs(flat.defence * config.defence_weight);
}

void CombinationLookup::value_charms(const Scorer& scorer) {
    auto most_of = [&](Part part, const std::vector<int>& max_level_before, double& most, double& magnitude) {
        most = -std::numeric_limits<double>::infinity();
        magnitude = 0.0;
        for (std::uint32_t i = 0; i < codec_.part_size(part); ++i) {
            double gain = 0.0, size = 0.0;
            piece_gain(scorer, piece(part, i), skills_, max_level_before, gain, size);
            most = std::max(most, gain);
            magnitude = std::max(magnitude, size);
        }
    };
    most_of(Part::Charm, armour_max_level_, charm_gain_, charm_gain_magnitude_);
    most_of(Part::Legs, waist_max_level_, legs_gain_, legs_gain_magnitude_);
    waist_prefix_ = UINT64_MAX;
}

void CombinationLookup::value_armour(const std::shared_ptr<const Scorer>& scorer) {
    valued_by_ = scorer;
    armour_slot_value_ = scorer->slot_value(armour().slots);
    armour_skill_values_.clear();
    double sum = 0.0, magnitude = std::abs(armour_slot_value_) + std::abs(armour().defence * scorer->config().defence_weight);
    for (const SkillLevel& s : armour().skills) {
        const double value = scorer->skill_value(s.skill, s.level);
        armour_skill_values_.push_back(value);
        sum += value;
        magnitude += std::abs(value);
    }
    // A score adds a few dozen terms at most, each rounding by 2^-53 of the running magnitude:
    // 1e-9 of the magnitudes is far above that, and far below any gap a ranking cares about.
    // Without the charms' gains of this scorer (score() alone never needs them) the bound is +inf.
    const double exact_in_reals = scorer->combine(armour_slot_value_, sum, armour().defence) + charm_gain_;
    armour_bound_ = gains_by_ == scorer ? exact_in_reals + 1e-9 * (1.0 + magnitude + charm_gain_magnitude_)
                                        : std::numeric_limits<double>::infinity();
    valued_prefix_ = armour_prefix_;
}

bool CombinationLookup::below_slow(const std::shared_ptr<const Scorer>& scorer, std::int64_t id, double cut) {
    // The gains are kept for one scorer, the ranking's: a statement that also calls score() with
    // another config alternates value_armour's scorer every row, not these.
    if (gains_by_ != scorer) {
        value_charms(*scorer);
        gains_by_ = scorer;
        valued_prefix_ = UINT64_MAX;
    }
    locate(id);  // checks the id, loads its armour
    const auto key = static_cast<std::uint64_t>(id);
    if (key - waist_first_key_ >= waist_run_ || waist_prefix_ == UINT64_MAX) {
        const Totals& waist = partial_[kArmourParts - 2];
        double sum = 0.0, magnitude = std::abs(scorer->config().defence_weight * waist.defence);
        for (const SkillLevel& s : waist.skills) {
            const double value = scorer->skill_value(s.skill, s.level);
            sum += value;
            magnitude += std::abs(value);
        }
        const double slots = scorer->slot_value(waist.slots);
        magnitude += std::abs(slots);
        waist_bound_ = scorer->combine(slots, sum, waist.defence) + legs_gain_ + charm_gain_ +
                       1e-9 * (1.0 + magnitude + legs_gain_magnitude_ + charm_gain_magnitude_);
        waist_prefix_ = key / waist_run_;
        waist_first_key_ = waist_prefix_ * waist_run_;
    }
    if (waist_bound_ < cut) return true;
    if (valued_prefix_ != armour_prefix_ || valued_by_ != scorer) value_armour(scorer);
    return armour_bound_ < cut;
}

double CombinationLookup::score(const std::shared_ptr<const Scorer>& scorer, std::int64_t id) {
    const FlatPiece& charm = locate(id);
    if (valued_prefix_ != armour_prefix_ || valued_by_ != scorer) value_armour(scorer);
    // The skill values summed in the order of the merged list totals() would build; an armour
    // skill the charm does not have keeps its cached value.
    const std::vector<SkillLevel>& armour_skills = armour().skills;
    const std::size_t armour_count = armour_skills.size();
    double skill_sum = 0.0;
    std::size_t a = 0;
    for (std::uint32_t c = charm.skill_begin; c < charm.skill_end; ++c) {
        const SkillLevel& extra = skills_[c];
        for (; a < armour_count && armour_skills[a].skill < extra.skill; ++a) skill_sum += armour_skill_values_[a];
        if (a < armour_count && armour_skills[a].skill == extra.skill) {
            skill_sum += scorer->skill_value(extra.skill, armour_skills[a].level + extra.level);
            ++a;
        } else {
            skill_sum += scorer->skill_value(extra.skill, extra.level);
        }
    }
    for (; a < armour_count; ++a) skill_sum += armour_skill_values_[a];

    double slot_value = armour_slot_value_;
    if (charm.has_slots) {  // charms have none unless a file gives them some
        std::array<int, kSlotLevels> slots = armour().slots;
        for (std::size_t l = 0; l < kSlotLevels; ++l) slots[l] += charm.slots[l];
        slot_value = scorer->slot_value(slots);
    }
    return scorer->combine(slot_value, skill_sum, armour().defence + charm.defence);
}

}  // namespace mhwopt::db
