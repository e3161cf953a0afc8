#include "core/placement.hpp"

#include <algorithm>
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
    const std::size_t skills = catalogue.skill_count();
    secret_of_.assign(skills, std::nullopt);
    const GameData& game = catalogue.game();
    for (SkillId s = 0; s < skills && s < game.limits.size(); ++s)
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
    std::vector<char> on_decoration(skills, 0);
    for (const Group& group : groups_)
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
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    constexpr std::size_t kMaxLambdas = 6;
    if (candidates.size() > kMaxLambdas) {
        std::vector<double> kept;
        for (std::size_t i = 0; i < kMaxLambdas; ++i) kept.push_back(candidates[i * (candidates.size() - 1) / (kMaxLambdas - 1)]);
        kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
        candidates = std::move(kept);
    }
    lambdas_ = candidates;
    mu_.assign(lambdas_.size(), std::vector<double>(skills, 0.0));
    room_.assign(lambdas_.size(), std::vector<std::array<std::vector<double>, 2>>(skills));
    for (std::size_t x = 0; x < lambdas_.size(); ++x)
        for (SkillId s = 0; s < skills; ++s) {
            mu_[x][s] = std::min(lambdas_[x], steepest[s]);
            if (!on_decoration[s]) continue;
            for (int secret = 0; secret < 2; ++secret) {
                std::vector<double>& table = room_[x][s][secret];
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

double PlacementModel::room(std::size_t lambda, SkillId skill, bool secret, int level) const {
    const auto& table = room_[lambda][skill][secret ? 1 : 0];
    if (level >= 0 && static_cast<std::size_t>(level) < table.size()) return table[level];
    const double mu = mu_[lambda][skill];
    const double here = value(skill, level, secret);
    double best = 0.0;
    for (int y = 1; y <= most_levels_added_; ++y) best = std::max(best, value(skill, level + y, secret) - here - mu * y);
    return best;
}

double PlacementModel::value(SkillId skill, int raw_level, bool secret_active) const {
    const std::optional<int> cap = catalogue_.game().cap(skill, secret_active);
    return scorer_.skill_value(skill, cap ? std::min(raw_level, *cap) : raw_level);
}

double PlacementModel::best_gain_per_level(SkillId skill, int level, bool secret_active) const {
    const auto& table = gain_tables_[skill][secret_active ? 1 : 0];
    if (static_cast<std::size_t>(level) < table.size()) return table[level];
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
    : model_(model), levels_(model.catalogue().skill_count(), 0), secret_active_(model.catalogue().skill_count(), 0),
      used_(model.groups().size(), 0), cancel_(cancel) {
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
                for (const SkillLevel& s : model_.groups()[candidates_[i].group].skills)
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
    if ((!found_ || value > best_value_) && requirements_met()) {
        found_ = true;
        best_value_ = value;
        best_stack_ = stack_;
        best_remaining_ = remaining_;
    }
    double bound = value;
    for (std::size_t l = 0; l < kSlotLevels; ++l) {
        if (remaining_[l] == 0) continue;
        const std::size_t i = std::max(first, first_fitting_[l + 1]);
        if (i >= candidates_.size()) continue;
        const double gain = suffix_best_[i] - empty_value_[l];
        if (gain > 0) bound += gain * remaining_[l];
    }
    if (found_ && bound <= best_value_) return;
    if (found_ && multipliers_) {
        // The multiplier bound (PlacementModel::room): sees how little room each skill has left.
        const std::size_t lambdas = model_.lambdas_.size();
        const double* sums = &room_sums_[depth_ * lambdas];
        const double* best = &slot_best_[first * lambdas * kSlotLevels];
        double least = std::numeric_limits<double>::infinity();
        for (std::size_t x = 0; x < lambdas; ++x) {
            double b = value + sums[x];
            for (std::size_t l = 0; l < kSlotLevels; ++l)
                if (remaining_[l] > 0) b += remaining_[l] * std::max(0.0, best[x * kSlotLevels + l] - empty_value_[l]);
            least = std::min(least, b);
        }
        if (least <= best_value_) return;
    }
    if (!requirements_.empty() && !requirements_reachable(first)) return;
    for (std::size_t i = first; i < candidates_.size(); ++i) {
        const Candidate& candidate = candidates_[i];
        const PlacementModel::Group& group = model_.groups()[candidate.group];
        if (used_[candidate.group] >= group.count) continue;
        const int slot = slot_for(candidate.size);
        if (slot < 0) continue;
        const std::size_t lambdas = model_.lambdas_.size();
        for (std::size_t x = 0; x < lambdas; ++x) {
            double sum = room_sums_[depth_ * lambdas + x];
            for (const SkillLevel& s : group.skills) {
                const bool secret = secret_active_[s.skill] != 0;
                sum += model_.room(x, s.skill, secret, levels_[s.skill] + s.level) - model_.room(x, s.skill, secret, levels_[s.skill]);
            }
            room_sums_[(depth_ + 1) * lambdas + x] = sum;
        }
        double delta = -empty_value_[slot];
        for (const SkillLevel& s : group.skills) delta += skill_delta(s.skill, s.level);
        --remaining_[slot];
        ++used_[candidate.group];
        stack_.push_back(candidate.group);
        ++depth_;
        search(i, value + delta);
        --depth_;
        stack_.pop_back();
        --used_[candidate.group];
        ++remaining_[slot];
        for (const SkillLevel& s : group.skills) levels_[s.skill] -= s.level;
    }
}

bool PlacementSolver::solve(const Totals& raw, Placement* out) {
    Placement scratch;
    Placement& result = out ? *out : scratch;
    result.feasible = false;
    result.decorations.clear();
    const auto& groups = model_.groups();

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

    if (feasible) {
        candidates_.clear();
        for (std::uint32_t g = 0; g < groups.size(); ++g) {
            const PlacementModel::Group& group = groups[g];
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
            const PlacementModel::Group& group = groups[candidates_[i].group];
            for (std::size_t x = 0; x < lambdas; ++x) {
                double v = 0.0;
                for (const SkillLevel& s : group.skills) v += s.level * model_.mu_[x][s.skill];
                for (std::size_t l = 0; l < kSlotLevels; ++l) {
                    double& here = slot_best_[(i * lambdas + x) * kSlotLevels + l];
                    here = slot_best_[((i + 1) * lambdas + x) * kSlotLevels + l];
                    if (group.size <= static_cast<int>(l + 1)) here = std::max(here, v);
                }
            }
        }
        depth_ = 0;
        found_ = false;
        stack_.clear();
        search(0, 0.0);
        feasible = found_;
    }

    if (feasible) {
        // The placement's totals: raw levels plus the chosen decorations, capped.
        for (std::uint32_t g : best_stack_) {
            for (const SkillLevel& s : groups[g].skills) {
                if (levels_[s.skill] == 0) touched_.push_back(s.skill);
                set_secret(s.skill);
                levels_[s.skill] += s.level;
            }
            ++used_[g];
        }
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
            for (std::uint32_t g = 0; g < groups.size(); ++g) {
                int left = used_[g];
                for (std::uint32_t d : groups[g].members) {
                    if (left == 0) break;
                    const auto& count = model_.decorations()[d].count;
                    const int take = count ? std::min(left, *count) : left;
                    if (take > 0) result.decorations.emplace_back(d, take);
                    left -= take;
                }
            }
            std::sort(result.decorations.begin(), result.decorations.end());
        }
        for (std::uint32_t g : best_stack_) used_[g] = 0;
    }
    for (SkillId s : touched_) levels_[s] = 0;
    touched_.clear();
    return feasible;
}

double PlacementSolver::best_score(const Totals& raw) {
    Placement placement;
    return solve(raw, &placement) ? placement.score : -std::numeric_limits<double>::infinity();
}

}  // namespace mhwopt
