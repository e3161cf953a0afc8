#include "core/placement.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace mhwopt {

void raw_totals_of(const Catalogue& catalogue, const Positions& positions, const WeaponSlots& weapon, Totals& out) {
    totals_of(catalogue, positions, out);
    for (int level : weapon) ++out.slots[level - 1];
    const GameData& game = catalogue.game();
    if (game.bonuses.empty()) return;
    // Pieces per bonus among the five armour pieces (charms carry none); at most five distinct.
    std::array<std::pair<int, int>, kPartCount> worn{};
    std::size_t distinct = 0;
    for (Part part : kAllParts) {
        const int bonus = catalogue.pieces(part)[positions[index_of(part)]].set_bonus;
        if (bonus < 0) continue;
        std::size_t i = 0;
        while (i < distinct && worn[i].first != bonus) ++i;
        if (i == distinct) worn[distinct++] = {bonus, 0};
        ++worn[i].second;
    }
    bool added = false;
    for (std::size_t i = 0; i < distinct; ++i)
        for (const SetBonusRule& rule : game.bonuses[worn[i].first].rules)
            if (worn[i].second >= rule.pieces) {
                out.skills.push_back({rule.skill, 1});
                added = true;
            }
    if (!added) return;
    std::sort(out.skills.begin(), out.skills.end(), [](const SkillLevel& a, const SkillLevel& b) { return a.skill < b.skill; });
    std::size_t merged = 0;
    for (std::size_t i = 0; i < out.skills.size(); ++i) {
        if (merged > 0 && out.skills[merged - 1].skill == out.skills[i].skill) out.skills[merged - 1].level += out.skills[i].level;
        else out.skills[merged++] = out.skills[i];
    }
    out.skills.resize(merged);
}

namespace {

// Levels one set could add to a skill through decorations: every slot filled with the decoration
// giving the most levels of any one skill. Clamped so that absurd slot counts in a hand-written
// catalogue cannot make the tables huge (the bound stays admissible below the clamp).
constexpr int kMaxHorizon = 2048;

}  // namespace

PlacementModel::PlacementModel(const Catalogue& catalogue, const Scorer& scorer, std::vector<Decoration> decorations,
                               const std::vector<ResolvedFilters::Requirement>& requirements)
    : catalogue_(catalogue), scorer_(scorer), decorations_(std::move(decorations)), requirements_(requirements) {
    filler_skill_ = static_cast<SkillId>(catalogue.skill_count());
    skills_ = catalogue.skill_count() + 1;
    const std::size_t skills = skills_;
    secret_of_.assign(skills, std::nullopt);
    const GameData& game = catalogue.game();
    for (SkillId s = 0; s < catalogue.skill_count() && s < game.limits.size(); ++s)
        if (game.limits[s] && game.limits[s]->secret) secret_of_[s] = game.limits[s]->secret;

    // Groups: identical size and skills are interchangeable but for their names and counts.
    std::map<std::pair<int, std::vector<std::pair<SkillId, int>>>, std::size_t> index;
    int deco_level = 0;
    for (std::uint32_t d = 0; d < decorations_.size(); ++d) {
        const Decoration& deco = decorations_[d];
        std::map<SkillId, int> merged;
        for (const SkillLevel& s : deco.skills) merged[s.skill] += s.level;
        std::vector<std::pair<SkillId, int>> key(merged.begin(), merged.end());
        for (const auto& [skill, level] : key) deco_level = std::max(deco_level, level);
        auto [it, inserted] = index.emplace(std::make_pair(deco.size, key), groups_.size());
        if (inserted) {
            Group group{deco.size, {}, {}, 0};
            for (const auto& [skill, level] : key) group.skills.push_back({skill, level});
            groups_.push_back(std::move(group));
        }
        Group& group = groups_[it->second];
        group.members.push_back(d);
        if (!deco.count || group.count == kUnlimited) group.count = kUnlimited;
        else group.count = static_cast<int>(std::min<long long>(kUnlimited - 1, static_cast<long long>(group.count) + *deco.count));
    }
    std::stable_sort(groups_.begin(), groups_.end(), [](const Group& a, const Group& b) { return a.size > b.size; });
    find_fillers();
    cover_ = RequirementCover(requirements_, decorations_);

    int slots = 0;
    for (Part part : kAllParts) {
        int most = 0;
        for (const Piece& piece : catalogue.pieces(part)) {
            int total = 0;
            for (int n : piece.slots) total += n;
            most = std::max(most, total);
        }
        slots = std::min(kMaxHorizon, slots + most);
    }
    slots += 3;  // the weapon's
    deco_level_ = deco_level;
    most_levels_added_ = static_cast<int>(std::min<long long>(kMaxHorizon, static_cast<long long>(slots) * deco_level));

    // Tables for the skills decorations carry, up to the highest raw level a set can have.
    gain_tables_.resize(skills);
    value_tables_.resize(skills * 2);
    std::vector<char> on_decoration(skills, 0);
    for (const SearchGroup& group : search_groups_)
        for (const SkillLevel& s : group.skills) on_decoration[s.skill] = 1;
    for (SkillId s = 0; s < skills; ++s) {
        if (!on_decoration[s]) continue;
        int top = 0;
        for (Part part : kAllParts) {
            int most = 0;
            for (const Piece& piece : catalogue.pieces(part)) {
                int level = 0;
                for (const SkillLevel& k : piece.skills)
                    if (k.skill == s) level += k.level;
                most = std::max(most, level);
            }
            top = std::min(kMaxHorizon, top + most);
        }
        for (const SetBonus& bonus : game.bonuses)
            for (const SetBonusRule& rule : bonus.rules)
                if (rule.skill == s) top = std::min(kMaxHorizon, top + 1);
        for (int secret = 0; secret < 2; ++secret) {
            // Every level the set's pieces and its slots can reach.
            std::vector<double>& values = value_tables_[s * 2 + static_cast<std::size_t>(secret)];
            values.resize(static_cast<std::size_t>(top + most_levels_added_) + 1);
            for (std::size_t t = 0; t < values.size(); ++t) values[t] = value_directly(s, static_cast<int>(t), secret != 0);
            std::vector<double>& table = gain_tables_[s][secret];
            table.resize(static_cast<std::size_t>(top) + 1);
            const int horizon = most_levels_added_;
            // Best chord slope from u: a[u] = max_k (G(u+k) - G(u)) / k; then M(t) = max_{t<=u<=t+K} a[u].
            std::vector<double> value(static_cast<std::size_t>(top + 2 * horizon) + 2);
            for (std::size_t t = 0; t < value.size(); ++t) value[t] = this->value(s, static_cast<int>(t), secret != 0);
            std::vector<double> chord(static_cast<std::size_t>(top + horizon) + 1, -std::numeric_limits<double>::infinity());
            for (int u = 0; u <= top + horizon; ++u)
                for (int k = 1; k <= horizon; ++k)
                    chord[u] = std::max(chord[u], (value[u + k] - value[u]) / k);
            for (int t = 0; t <= top; ++t) {
                double best = -std::numeric_limits<double>::infinity();
                for (int u = t; u <= t + horizon; ++u) best = std::max(best, chord[u]);
                table[t] = best;
            }
        }
    }

    // Multipliers: zero, the empty slots' values and the skills' steepest gains, a few of them.
    const Config& config = scorer.config();
    std::vector<double> steepest(skills, 0.0);
    for (SkillId s = 0; s < skills; ++s)
        for (const auto& table : gain_tables_[s])
            for (double g : table) steepest[s] = std::max(steepest[s], g);
    std::vector<double> candidates{0.0};
    for (std::size_t l = 0; l < kSlotLevels; ++l) {
        const double empty = config.deco_weights[l] + config.num_decos_weight;
        if (empty > 0) candidates.push_back(empty);
    }
    for (SkillId s = 0; s < skills; ++s)
        if (on_decoration[s] && steepest[s] > 0) candidates.push_back(steepest[s]);
    lambdas_ = spread_multipliers(std::move(candidates), kMaxLambdas);
    mu_.assign(lambdas_.size(), std::vector<double>(skills, 0.0));
    room_.assign(skills * 2 * lambdas_.size(), {});
    for (std::size_t x = 0; x < lambdas_.size(); ++x)
        for (SkillId s = 0; s < skills; ++s) {
            mu_[x][s] = std::min(lambdas_[x], steepest[s]);
            if (!on_decoration[s]) continue;
            for (int secret = 0; secret < 2; ++secret) {
                std::vector<double>& table = room_[(s * 2 + static_cast<std::size_t>(secret)) * lambdas_.size() + x];
                const int levels = static_cast<int>(gain_tables_[s][secret].size()) + most_levels_added_;
                std::vector<double> value(static_cast<std::size_t>(levels + most_levels_added_) + 1);
                for (std::size_t t = 0; t < value.size(); ++t) value[t] = this->value(s, static_cast<int>(t), secret != 0);
                table.assign(static_cast<std::size_t>(levels) + 1, 0.0);
                for (int t = 0; t <= levels; ++t) {
                    double best = 0.0;
                    for (int y = 1; y <= most_levels_added_; ++y) best = std::max(best, value[t + y] - value[t] - mu_[x][s] * y);
                    table[t] = best;
                }
            }
        }
}

void PlacementModel::find_fillers() {
    const std::size_t skills = catalogue_.skill_count();
    filler_.assign(skills_, 0);
    std::vector<char> carried(skills, 0);
    for (const Group& group : groups_)
        for (const SkillLevel& s : group.skills) carried[s.skill] = 1;
    // A filler's maximum must be settled by the set alone: its secret skill, if any, comes on no decoration.
    for (SkillId s = 0; s < skills; ++s) {
        const SkillRule& rule = scorer_.rule(s);
        filler_[s] = rule.weight == 1.0 && rule.penalty == 1.0 && (!secret_of_[s] || !carried[*secret_of_[s]]);
    }
    for (SkillId s = 0; s < skills; ++s)
        if (secret_of_[s]) filler_[*secret_of_[s]] = 0;
    for (const auto& r : requirements_)
        if (r.skill) filler_[*r.skill] = 0;
    // Only a group with exactly one filler, at level 1, and no count is merged; fillers elsewhere
    // (two on one decoration, "Guard Jewel+" at level 2) stay ordinary skills of the search, and the
    // matching gives the merged groups what room those leave.
    auto fillers_in = [&](const Group& group) {
        std::vector<SkillId> found;
        for (const SkillLevel& s : group.skills)
            if (filler_[s.skill]) found.push_back(s.skill);
        if (found.size() != 1 || group.count != kUnlimited) found.clear();
        for (const SkillLevel& s : group.skills)
            if (!found.empty() && s.skill == found.front() && s.level != 1) found.clear();
        return found;
    };
    std::map<std::pair<int, std::vector<std::pair<SkillId, int>>>, std::size_t> projected;
    for (std::uint32_t g = 0; g < groups_.size(); ++g) {
        const Group& group = groups_[g];
        const std::vector<SkillId> found = fillers_in(group);
        if (found.empty()) {
            search_groups_.push_back({group.size, group.skills, group.count, g, {}});
            continue;
        }
        std::vector<std::pair<SkillId, int>> rest;
        for (const SkillLevel& s : group.skills)
            if (s.skill != found.front()) rest.emplace_back(s.skill, s.level);
        auto [it, inserted] = projected.emplace(std::make_pair(group.size, rest), search_groups_.size());
        if (inserted) {
            SearchGroup merged{group.size, {}, kUnlimited, g, {}};
            for (const auto& [skill, level] : rest) merged.skills.push_back({skill, level});
            merged.skills.push_back({filler_skill_, 1});
            search_groups_.push_back(std::move(merged));
        }
        search_groups_[it->second].fillers.emplace_back(found.front(), g);
    }
    // groups_ is largest first, and each search group sits where its first member did.
}

std::vector<double> spread_multipliers(std::vector<double> candidates, std::size_t most) {
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    if (candidates.size() <= most || most < 2) return candidates;
    std::vector<double> kept;
    for (std::size_t i = 0; i < most; ++i) kept.push_back(candidates[i * (candidates.size() - 1) / (most - 1)]);
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    return kept;
}

double PlacementModel::room_beyond_table(std::size_t lambda, SkillId skill, bool secret, int level) const {
    const double mu = mu_[lambda][skill];
    const double here = value(skill, level, secret);
    double best = 0.0;
    for (int y = 1; y <= most_levels_added_; ++y) best = std::max(best, value(skill, level + y, secret) - here - mu * y);
    return best;
}

double PlacementModel::value_directly(SkillId skill, int raw_level, bool secret_active) const {
    if (skill == filler_skill_) return raw_level;  // what the best matching could add (an upper bound)
    const std::optional<int> cap = catalogue_.game().cap(skill, secret_active);
    return scorer_.skill_value(skill, cap ? std::min(raw_level, *cap) : raw_level);
}

double PlacementModel::gain_beyond_table(SkillId skill, int level, bool secret_active) const {
    // Beyond the table (a set above every level the catalogue was measured for): the same, directly.
    const int horizon = std::max(1, most_levels_added_);
    double best = -std::numeric_limits<double>::infinity();
    for (int u = level; u <= level + horizon; ++u)
        for (int k = 1; k <= horizon; ++k)
            best = std::max(best, (value(skill, u + k, secret_active) - value(skill, u, secret_active)) / k);
    return best;
}

std::optional<int> PlacementModel::cap(SkillId skill, const std::vector<int>& raw_levels) const {
    const std::optional<SkillId> secret = secret_of_[skill];
    return catalogue_.game().cap(skill, secret && raw_levels[*secret] >= 1);
}

PlacementSolver::PlacementSolver(const PlacementModel& model, const std::atomic<bool>* cancel)
    : model_(model), levels_(model.skills_, 0), secret_active_(model.skills_, 0),
      used_(model.search_groups().size(), 0), filler_room_(model.skills_, 0), filler_load_(model.skills_, 0),
      visited_(model.skills_, 0), cancel_(cancel) {
    const auto& deco = model.scorer().config().deco_weights;
    for (std::size_t l = 0; l < kSlotLevels; ++l) empty_value_[l] = deco[l] + model.scorer().config().num_decos_weight;
}

int PlacementSolver::slot_for(int size) const {
    int best = -1;
    for (int l = size - 1; l < static_cast<int>(kSlotLevels); ++l)
        if (remaining_[l] > 0 && (best < 0 || empty_value_[l] < empty_value_[best])) best = l;
    return best;
}

double PlacementSolver::skill_delta(SkillId skill, int levels) {
    const bool secret = secret_active_[skill] != 0;
    const double before = model_.value(skill, levels_[skill], secret);
    levels_[skill] += levels;
    return model_.value(skill, levels_[skill], secret) - before;
}

bool PlacementSolver::requirements_met() const {
    for (const ReqState& r : requirements_) {
        const int level = r.cap ? std::min(levels_[r.skill], *r.cap) : levels_[r.skill];
        if (level < r.min_level) return false;
    }
    return true;
}

bool PlacementSolver::requirements_reachable(std::size_t first) const {
    for (const ReqState& r : requirements_) {
        int level = levels_[r.skill];
        if (level >= r.min_level) continue;
        // Every remaining slot filled with the most of this skill any later candidate that fits has.
        for (std::size_t l = 0; l < kSlotLevels; ++l) {
            if (remaining_[l] == 0) continue;
            int most = 0;
            for (std::size_t i = std::max(first, first_fitting_[l + 1]); i < candidates_.size(); ++i)
                for (const SkillLevel& s : model_.search_groups()[candidates_[i].group].skills)
                    if (s.skill == r.skill) most = std::max(most, s.level);
            level += most * remaining_[l];
        }
        if (level < r.min_level) return false;
    }
    return true;
}

void PlacementSolver::search(std::size_t first, double value) {
    if ((++nodes_ & 4095) == 0 && cancel_ && cancel_->load(std::memory_order_relaxed)) cancelled_ = true;
    if (cancelled_) return;
    if ((!found_ || value > best_value_) && value > threshold_ && requirements_met()) {
        // The filler levels the search counted that no filler below its maximum can take.
        const double actual = relaxed_ || filler_units_ == 0 ? value : value - (filler_units_ - matched_fillers(stack_, nullptr));
        if ((!found_ || actual > best_value_) && actual > threshold_) {
            found_ = true;
            best_value_ = actual;
            best_stack_ = stack_;
            best_remaining_ = remaining_;
        }
    }
    double bound = value;
    for (std::size_t l = 0; l < kSlotLevels; ++l) {
        if (remaining_[l] == 0) continue;
        const std::size_t i = std::max(first, first_fitting_[l + 1]);
        if (i >= candidates_.size()) continue;
        const double gain = suffix_best_[i] - empty_value_[l];
        if (gain > 0) bound += gain * remaining_[l];
    }
    // The value to beat: the best placement so far, or the caller's floor.
    const double incumbent = found_ ? best_value_ : threshold_;
    const bool pruning = incumbent > -std::numeric_limits<double>::infinity();
    if (pruning && bound <= incumbent) return;
    if (multipliers_) {
        // The multiplier bound (PlacementModel::room): sees how little room each skill has left.
        // This node's room sums follow from its parent's and the decoration placed last; computed
        // here rather than by the parent, as most children end at the bound above.
        const std::size_t lambdas = model_.lambdas_.size();
        double* sums = &room_sums_[depth_ * lambdas];
        if (depth_ > 0) {
            const double* parent = sums - lambdas;
            const PlacementModel::SearchGroup& placed = model_.search_groups()[stack_.back()];
            for (std::size_t x = 0; x < lambdas; ++x) sums[x] = parent[x];
            for (const SkillLevel& s : placed.skills) {
                const bool secret = secret_active_[s.skill] != 0;
                const int now = levels_[s.skill];
                for (std::size_t x = 0; x < lambdas; ++x)
                    sums[x] += model_.room(x, s.skill, secret, now) - model_.room(x, s.skill, secret, now - s.level);
            }
        }
        if (pruning) {
            std::array<double, PlacementModel::kMaxLambdas> b;
            for (std::size_t x = 0; x < lambdas; ++x) b[x] = value + sums[x];
            const double* best = &slot_best_[first * kSlotLevels * lambdas];
            for (std::size_t l = 0; l < kSlotLevels; ++l) {
                if (remaining_[l] == 0) continue;
                const double* at_level = best + l * lambdas;
                for (std::size_t x = 0; x < lambdas; ++x) b[x] += remaining_[l] * std::max(0.0, at_level[x] - empty_value_[l]);
            }
            double least = std::numeric_limits<double>::infinity();
            for (std::size_t x = 0; x < lambdas; ++x) least = std::min(least, b[x]);
            if (least <= incumbent) return;
        }
    }
    if (!requirements_.empty()) {
        // All the requirements together against the slots left, with only the candidates from
        // `first` on (none larger than the first of them) still to place.
        for (std::size_t r = 0; r < requirements_.size(); ++r) deficits_[r] = std::max(0, requirements_[r].min_level - levels_[requirements_[r].skill]);
        const int largest = first < candidates_.size() ? candidates_[first].size : 0;
        if (!model_.cover_.coverable(deficits_.data(), remaining_, largest)) return;
        if (!requirements_reachable(first)) return;
    }
    for (std::size_t i = first; i < candidates_.size(); ++i) {
        const Candidate& candidate = candidates_[i];
        const PlacementModel::SearchGroup& group = model_.search_groups()[candidate.group];
        if (used_[candidate.group] >= group.count) continue;
        const int slot = slot_for(candidate.size);
        if (slot < 0) continue;
        double delta = -empty_value_[slot];
        for (const SkillLevel& s : group.skills) delta += skill_delta(s.skill, s.level);
        --remaining_[slot];
        ++used_[candidate.group];
        stack_.push_back(candidate.group);
        const bool carries_filler = !group.fillers.empty();
        filler_units_ += carries_filler;
        ++depth_;
        search(i, value + delta);
        --depth_;
        filler_units_ -= carries_filler;
        stack_.pop_back();
        --used_[candidate.group];
        ++remaining_[slot];
        for (const SkillLevel& s : group.skills) levels_[s.skill] -= s.level;
    }
}

bool PlacementSolver::solve(const Totals& raw, Placement* out) {
    return solve(raw, out, -std::numeric_limits<double>::infinity());
}

bool PlacementSolver::solve(const Totals& raw, Placement* out, double at_least) {
    Placement scratch;
    Placement& result = out ? *out : scratch;
    result.feasible = false;
    result.decorations.clear();
    const auto& groups = model_.search_groups();

    for (const SkillLevel& s : raw.skills) {
        levels_[s.skill] = s.level;
        touched_.push_back(s.skill);
    }
    // Secret skills come with set bonuses; whether each is active is settled by the raw levels.
    auto set_secret = [&](SkillId skill) {
        const auto& secret = model_.secret_of_[skill];
        secret_active_[skill] = secret && levels_[*secret] >= 1;
    };
    for (const SkillLevel& s : raw.skills) set_secret(s.skill);
    for (std::size_t l = 0; l < kSlotLevels; ++l) remaining_[l] = raw.slots[l];

    bool feasible = true;
    requirements_.clear();
    for (const auto& r : model_.requirements()) {
        if (r.min_level <= 0) continue;
        if (!r.skill) { feasible = false; break; }
        set_secret(*r.skill);
        const std::optional<int> cap = model_.catalogue().game().cap(*r.skill, secret_active_[*r.skill] != 0);
        if (cap && *cap < r.min_level) { feasible = false; break; }
        requirements_.push_back({*r.skill, r.min_level, cap, {}});
    }
    deficits_.assign(requirements_.size(), 0);

    if (feasible) {
        candidates_.clear();
        for (std::uint32_t g = 0; g < groups.size(); ++g) {
            const PlacementModel::SearchGroup& group = groups[g];
            if (group.count <= 0) continue;
            double least_empty = std::numeric_limits<double>::infinity();
            for (std::size_t l = group.size - 1; l < kSlotLevels; ++l)
                if (remaining_[l] > 0) least_empty = std::min(least_empty, empty_value_[l]);
            if (least_empty == std::numeric_limits<double>::infinity()) continue;  // fits no slot of this set
            double optimistic = 0.0;
            bool needed = false;
            for (const SkillLevel& s : group.skills) {
                set_secret(s.skill);
                optimistic += s.level * model_.best_gain_per_level(s.skill, levels_[s.skill], secret_active_[s.skill] != 0);
                for (const ReqState& r : requirements_) needed |= r.skill == s.skill && levels_[s.skill] < r.min_level;
            }
            // Never worth its slot: removing it from any placement loses at most `optimistic` and
            // frees a slot that earns at least `least_empty`.
            if (!needed && optimistic <= least_empty) continue;
            candidates_.push_back({g, group.size, optimistic});
            for (const auto& filler : group.fillers) set_secret(filler.first);
        }
        // Largest first (the slot rule needs it); within a size the most promising first.
        std::stable_sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
            return a.size != b.size ? a.size > b.size : a.optimistic > b.optimistic;
        });
        suffix_best_.assign(candidates_.size() + 1, -std::numeric_limits<double>::infinity());
        for (std::size_t i = candidates_.size(); i-- > 0;) suffix_best_[i] = std::max(suffix_best_[i + 1], candidates_[i].optimistic);
        for (std::size_t l = 1; l <= kSlotLevels; ++l) {
            std::size_t i = 0;
            while (i < candidates_.size() && candidates_[i].size > static_cast<int>(l)) ++i;
            first_fitting_[l] = i;
        }
        // The search counts each filler at full value. The best placement so counted is cached by
        // everything it depends on; when this set's fillers can all take theirs, it is the best
        // placement (the count is exact there and an upper bound elsewhere). Otherwise search again,
        // counting fillers exactly.
        // What the placement must add to the set with its slots empty to reach `at_least` (less a
        // margin for the different order of the additions), or -inf.
        double above = -std::numeric_limits<double>::infinity();
        if (at_least > -std::numeric_limits<double>::infinity()) {
            double skills = 0.0, magnitude = std::fabs(at_least);
            for (const SkillLevel& s : raw.skills) {
                const double v = model_.value(s.skill, s.level, secret_active_[s.skill] != 0);
                skills += v;
                magnitude += std::fabs(v);
            }
            const Scorer& scorer = model_.scorer();
            const double empty = scorer.combine(scorer.slot_value(raw.slots), skills, raw.defence);
            above = at_least - empty - 1e-9 * (1.0 + magnitude + std::fabs(empty));
        }
        const bool keyed = cache_key();
        const CachedSolve* cached = keyed ? cache_.find(key_) : nullptr;
        bool below = false;  // shown: no placement reaches `above`
        bool searched = false;
        if (cached && cached->complete) {
            found_ = cached->found;
            best_value_ = cached->value;
            best_stack_ = cached->stack;
            best_remaining_ = cached->remaining;
            below = found_ && best_value_ <= above;
        } else if (cached && cached->value <= above) {
            below = true;
        } else {
            prepare_bounds();
            searched = true;
            run_search(true, above);
            if (keyed && !cancelled_) {
                if (found_) cache_.store(key_, {true, true, best_value_, best_stack_, best_remaining_});
                else if (above == -std::numeric_limits<double>::infinity()) cache_.store(key_, {true, false, 0.0, {}, {}});
                else cache_.store(key_, {false, false, above, {}, {}});
            }
            below = !found_ && above > -std::numeric_limits<double>::infinity();
        }
        if (below) found_ = false;
        else if (found_ && !all_fillers_matched(best_stack_)) {
            if (!searched) prepare_bounds();
            run_search(false, above);
        }
        feasible = found_;
    }

    if (feasible) {
        // The real groups: a filler-carrying one takes the filler the matching gave it, or its
        // group's first when none below its maximum is left (that filler level then scores nothing).
        // The matching sees the levels the other decorations add, so those go first.
        const auto& real_groups = model_.groups();
        auto add = [&](const PlacementModel::Group& group) {
            for (const SkillLevel& s : group.skills) {
                if (levels_[s.skill] == 0) touched_.push_back(s.skill);
                set_secret(s.skill);
                levels_[s.skill] += s.level;
            }
        };
        for (std::uint32_t g : best_stack_)
            if (groups[g].fillers.empty()) add(real_groups[groups[g].group]);
        real_stack_.clear();
        matched_fillers(best_stack_, &real_stack_);
        for (std::size_t k = 0; k < best_stack_.size(); ++k)
            if (!groups[best_stack_[k]].fillers.empty()) add(real_groups[real_stack_[k]]);
        std::sort(touched_.begin(), touched_.end());
        touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
        result.totals.skills.clear();
        for (SkillId s : touched_) {
            const std::optional<int> cap = model_.catalogue().game().cap(s, secret_active_[s] != 0);
            result.totals.skills.push_back({s, cap ? std::min(levels_[s], *cap) : levels_[s]});
        }
        result.totals.slots = best_remaining_;
        result.totals.defence = raw.defence;
        result.empty = best_remaining_;
        result.score = model_.scorer().score(result.totals);
        result.feasible = true;
        if (out) {
            // Each group's uses go to its members in list order, each up to what is owned.
            real_used_.assign(real_groups.size(), 0);
            for (std::uint32_t g : real_stack_) ++real_used_[g];
            for (std::uint32_t g = 0; g < real_groups.size(); ++g) {
                int left = real_used_[g];
                for (std::uint32_t d : real_groups[g].members) {
                    if (left == 0) break;
                    const auto& count = model_.decorations()[d].count;
                    const int take = count ? std::min(left, *count) : left;
                    if (take > 0) result.decorations.emplace_back(d, take);
                    left -= take;
                }
            }
            std::sort(result.decorations.begin(), result.decorations.end());
        }
    }
    for (SkillId s : touched_) levels_[s] = 0;
    touched_.clear();
    return feasible;
}

int PlacementSolver::matched_fillers(const std::vector<std::uint32_t>& stack, std::vector<std::uint32_t>* assign) {
    const auto& groups = model_.search_groups();
    units_.clear();
    for (std::uint32_t g : stack)
        if (!groups[g].fillers.empty()) {
            units_.push_back(g);
            for (const auto& filler : groups[g].fillers) filler_load_[filler.first] = 0;
        }
    // Room left below each filler's maximum by the pieces and the search's other decorations.
    for (std::uint32_t g : units_)
        for (const auto& filler : groups[g].fillers) {
            const std::optional<int> cap = model_.catalogue().game().cap(filler.first, secret_active_[filler.first] != 0);
            filler_room_[filler.first] = cap ? std::max(0, *cap - levels_[filler.first]) : PlacementModel::kUnlimited;
        }
    unit_filler_.assign(units_.size(), -1);
    int matched = 0;
    for (std::size_t u = 0; u < units_.size(); ++u) {
        ++visit_;
        matched += augment(u);
    }
    if (assign) {
        std::size_t u = 0;
        for (std::uint32_t g : stack) {
            if (groups[g].fillers.empty()) {
                assign->push_back(groups[g].group);
                continue;
            }
            const int f = unit_filler_[u++];
            assign->push_back(groups[g].fillers[f < 0 ? 0 : static_cast<std::size_t>(f)].second);
        }
    }
    return matched;
}

// Kuhn's augmenting path: give unit `u` a filler with room, moving other units along as needed.
bool PlacementSolver::augment(std::size_t u) {
    const auto& fillers = model_.search_groups()[units_[u]].fillers;
    for (std::size_t f = 0; f < fillers.size(); ++f) {
        const SkillId x = fillers[f].first;
        if (visited_[x] == visit_ || filler_room_[x] == 0) continue;
        visited_[x] = visit_;
        bool free = filler_load_[x] < filler_room_[x];
        if (!free)
            for (std::size_t v = 0; v < units_.size() && !free; ++v)
                if (v != u && unit_filler_[v] >= 0 && model_.search_groups()[units_[v]].fillers[static_cast<std::size_t>(unit_filler_[v])].first == x) {
                    const int old = unit_filler_[v];
                    --filler_load_[x];
                    unit_filler_[v] = -1;
                    if (augment(v)) free = true;
                    else {
                        unit_filler_[v] = old;
                        ++filler_load_[x];
                    }
                }
        if (free) {
            unit_filler_[u] = static_cast<int>(f);
            ++filler_load_[x];
            return true;
        }
    }
    return false;
}

void PlacementSolver::prepare_bounds() {
    const auto& groups = model_.search_groups();
        // The multiplier bound's tables for this set.
        const std::size_t lambdas = model_.lambdas_.size();
        candidate_skill_.resize(levels_.size(), 0);
        candidate_skills_.clear();
        for (const Candidate& c : candidates_)
            for (const SkillLevel& s : groups[c.group].skills)
                if (!candidate_skill_[s.skill]) {
                    candidate_skill_[s.skill] = 1;
                    candidate_skills_.push_back(s.skill);
                }
        int slots = 0;
        for (int n : remaining_) slots += n;
        multipliers_ = static_cast<long long>(slots) * model_.deco_level_ <= model_.most_levels_added_;
        room_sums_.assign(static_cast<std::size_t>(slots + 2) * lambdas, 0.0);
        for (SkillId s : candidate_skills_) {
            candidate_skill_[s] = 0;
            for (std::size_t x = 0; x < lambdas; ++x) room_sums_[x] += model_.room(x, s, secret_active_[s] != 0, levels_[s]);
        }
        slot_best_.assign((candidates_.size() + 1) * lambdas * kSlotLevels, -std::numeric_limits<double>::infinity());
        for (std::size_t i = candidates_.size(); i-- > 0;) {
            const PlacementModel::SearchGroup& group = groups[candidates_[i].group];
            for (std::size_t x = 0; x < lambdas; ++x) {
                double v = 0.0;
                for (const SkillLevel& s : group.skills) v += s.level * model_.mu_[x][s.skill];
                for (std::size_t l = 0; l < kSlotLevels; ++l) {
                    double& here = slot_best_[(i * kSlotLevels + l) * lambdas + x];
                    here = slot_best_[((i + 1) * kSlotLevels + l) * lambdas + x];
                    if (group.size <= static_cast<int>(l + 1)) here = std::max(here, v);
                }
            }
        }
}

// With `above` finite, placements not worth more are not of interest: it starts as the best so far
// (with nothing recorded), so the bounds prune from the root.
void PlacementSolver::run_search(bool relaxed, double above) {
    relaxed_ = relaxed;
    depth_ = 0;
    found_ = false;
    threshold_ = above;
    stack_.clear();
    filler_units_ = 0;
    search(0, 0.0);
}

bool PlacementSolver::all_fillers_matched(const std::vector<std::uint32_t>& stack) {
    const auto& groups = model_.search_groups();
    std::size_t units = 0;
    for (std::uint32_t g : stack) {
        if (groups[g].fillers.empty())
            for (const SkillLevel& s : groups[g].skills) levels_[s.skill] += s.level;
        else
            ++units;
    }
    const bool all = units == 0 || static_cast<std::size_t>(matched_fillers(stack, nullptr)) == units;
    for (std::uint32_t g : stack)
        if (groups[g].fillers.empty())
            for (const SkillLevel& s : groups[g].skills) levels_[s.skill] -= s.level;
    return all;
}

// Everything the relaxed search depends on: the slots, the candidates, and the levels (and secret
// states) of their skills and of the required ones. False when a value does not fit the encoding.
bool PlacementSolver::cache_key() {
    key_.clear();
    bool fits = true;
    auto put = [&](long long v) {
        fits = fits && v >= -32768 && v <= 32767;
        key_.push_back(static_cast<char>(v & 0xFF));
        key_.push_back(static_cast<char>((v >> 8) & 0xFF));
    };
    for (int n : remaining_) put(n);
    for (const Candidate& c : candidates_) {
        put(c.group);
        for (const SkillLevel& s : model_.search_groups()[c.group].skills)
            if (s.skill != model_.filler_skill()) put(levels_[s.skill] * 2 + (secret_active_[s.skill] != 0));
    }
    put(-1);
    for (const ReqState& r : requirements_) put(levels_[r.skill] * 2 + (secret_active_[r.skill] != 0));
    return fits;
}

double PlacementSolver::best_score(const Totals& raw, double at_least) {
    Placement placement;
    return solve(raw, &placement, at_least) ? placement.score : -std::numeric_limits<double>::infinity();
}

}  // namespace mhwopt
