#pragma once
// Internal: the depth-first walk over partial sets (PartialSet). It owns the running totals of the
// pieces chosen so far, their bounds (range_bound, the per-piece terms), the constraint checks and
// the exact score of each complete set; policies (best_first.hpp, counting.cpp, collect.cpp,
// ordered_stream.cpp) decide what to do with the complete sets and how high the bar is.
// The hot parts (explore, visit_leaves, add, remove, leaf_gain) stay here to be inlined; the rest
// is in walk.cpp. See model.hpp for where decorations will change the bounds and the exact score.
#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/combination.hpp"
#include "core/search/model.hpp"

namespace mhwopt::engine {

// A depth-first walk over the model with the running totals of a partial set and its bounds. What is
// done with the complete sets, and how high the bar is, is up to a policy:
//   static constexpr bool kBestFirst;     children by bound, best first (else in model order)
//   bool stopped() const;                 give up (cancelled, or nothing more is wanted)
//   double floor() const;                 sets whose incrementally summed score is below it are not
//                                         wanted (it includes the rounding slack; it may only rise)
//   bool tie_cut(bound, least_key) const; no set of a subtree is wanted whose score is at most `bound`
//                                         and key at least `least_key` (ties decided by key; only
//                                         when Model::exact_step > 0, where bounds are exact)
//   void leaf(PartialSet&, index, score); a passing complete set and its exact Scorer::score
//   void leaves_done(PartialSet&);        after the last leaf of a leaf parent
class PartialSet {
public:
    explicit PartialSet(const Context& context);

    SearchStats& stats() { return stats_; }

    // The subtree under the pieces `prefix` picks at the first depths (fewer than the leaf parents').
    template <typename Policy>
    void explore_from(const std::vector<std::uint32_t>& prefix, Policy& policy) {
        double current = 0.0;
        for (std::size_t d = 0; d < prefix.size(); ++d) current += add(d, prefix[d]);
        explore(prefix.size(), current, policy);
        for (std::size_t d = prefix.size(); d-- > 0;) remove(d, prefix[d]);
    }

    // The key of the current set completed with leaf piece `index`.
    CombinationKey leaf_key(std::uint32_t index) const {
        return key_ + model_.pieces[kLastDepth][index].position * stride_[model_.part_at_depth[kLastDepth]];
    }

private:
    template <typename Policy>
    void explore(std::size_t depth, double current, Policy& policy) {
        if (policy.stopped()) return;
        ++stats_.nodes_visited;
        const double linear = linear_rest(depth);
        if (!constraints_reachable(depth) || linear == -kInfinity) {
            ++stats_.cut_by_constraint;
            return;
        }
        const double range = range_bound(depth, current, linear);
        if (range < policy.floor() || policy.tie_cut(range, key_ + model_.min_key_from[depth])) {
            ++stats_.cut_by_bound;
            return;
        }
        const double rest = compute_child_terms(depth, current, policy.floor());
        const auto& terms = terms_[depth];
        const bool leaf_parents = depth + 1 == kLastDepth;
        if (leaf_parents) select_leaf_candidates(current, policy.floor());
        auto& order = order_[depth];
        // The leaf parents are the most numerous nodes: sorting them costs more than it saves.
        const bool sorted = Policy::kBestFirst && !leaf_parents;
        order.clear();
        if (sorted) {
            // Only the children that can reach the floor now; the floor only rises.
            const double needed = policy.floor() - current - rest;
            for (std::uint32_t i = 0; i < terms.size(); ++i)
                if (terms[i] >= needed) order.push_back(i);
            std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
                return terms[a] > terms[b] || (terms[a] == terms[b] && a < b);
            });
        } else {
            order.resize(terms.size());
            std::iota(order.begin(), order.end(), 0u);
        }
        for (std::uint32_t index : order) {
            const double bound = current + terms[index];
            const double child_bound = std::min(range, bound + rest);
            if (child_bound < policy.floor()) {
                ++stats_.cut_by_bound;
                if (sorted) break;  // and every later sibling, whose terms are no larger
                continue;
            }
            const CombinationKey least_key =
                key_ + model_.pieces[depth][index].position * model_.stride[depth] + model_.min_key_from[depth + 1];
            if (policy.tie_cut(child_bound, least_key)) {
                ++stats_.cut_by_bound;
                continue;
            }
            const double next = current + add(depth, index);
            if (leaf_parents) visit_leaves(next, bound, policy);
            else explore(depth + 1, next, policy);
            remove(depth, index);
        }
    }

    // `bound_base` is the grandparent's score plus this leaf parent's term: with a leaf's term it bounds
    // the set, since the terms of two parts bound their gains together (the envelopes are subadditive)
    // even where one part's own gain exceeds its term. The candidates are sorted by term, so the first
    // one under the floor ends the loop.
    template <typename Policy>
    void visit_leaves(double current, double bound_base, Policy& policy) {
        const auto& terms = terms_[kLastDepth];
        double floor = policy.floor();
        active_ready_ = false;
        for (std::uint32_t index : leaf_candidates_) {
            if (bound_base + terms[index] < floor) break;
            const FlatPiece& piece = model_.pieces[kLastDepth][index];
            const double bound = current + leaf_gain(piece);
            if (bound < floor || !leaf_meets_filters(piece) || policy.tie_cut(bound, leaf_key(index))) continue;
            ++stats_.combinations_scored;
            policy.leaf(*this, index, exact_score(piece));
            floor = policy.floor();
        }
        policy.leaves_done(*this);
    }

    // The leaves that may complete some child of this node (the floor only rises), best term first.
    void select_leaf_candidates(double current, double floor);

    double add(std::size_t depth, std::uint32_t index) {
        const FlatPiece& piece = model_.pieces[depth][index];
        const std::size_t part = model_.part_at_depth[depth];
        chosen_[depth] = index;
        positions_[part] = piece.position;
        key_ += piece.position * stride_[part];
        defence_ += piece.defence;
        for (std::size_t l = 0; l < kSlotLevels; ++l) slots_[l] += piece.slots[l];
        double delta = piece.linear;
        for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i) {
            const SkillLevel& s = model_.skills[i];
            const double before = values_[s.skill];
            levels_[s.skill] += s.level;
            values_[s.skill] = curves_.value(s.skill, levels_[s.skill]);
            delta += values_[s.skill] - before;
        }
        return delta;
    }

    void remove(std::size_t depth, std::uint32_t index) {
        const FlatPiece& piece = model_.pieces[depth][index];
        key_ -= piece.position * stride_[model_.part_at_depth[depth]];
        defence_ -= piece.defence;
        for (std::size_t l = 0; l < kSlotLevels; ++l) slots_[l] -= piece.slots[l];
        for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i) {
            const SkillLevel& s = model_.skills[i];
            levels_[s.skill] -= s.level;
            values_[s.skill] = curves_.value(s.skill, levels_[s.skill]);
        }
    }

    bool constraints_reachable(std::size_t depth) const {
        if (defence_ + model_.defence_reach[depth] < model_.min_defence) return false;
        for (const auto& [skill, level] : model_.requirements)
            if (levels_[skill] + model_.reach[depth][skill] < level) return false;
        return true;
    }

    // The most linear value the parts from `depth` on can add with the requirements of
    // Model::need_skills still met by the whole set; -inf when they cannot all be met.
    double linear_rest(std::size_t depth) const {
        if (model_.need_skills.empty()) return model_.linear_reach[depth];
        std::size_t needs = 0;
        for (std::size_t r = 0; r < model_.need_skills.size(); ++r) {
            const auto& [skill, level] = model_.need_skills[r];
            needs += static_cast<std::size_t>(std::clamp(level - levels_[skill], 0, level)) * model_.need_stride[r];
        }
        return model_.needs_linear[depth][needs];
    }

    // Each skill at the best level it can still take, the remaining parts at `linear` (linear_rest).
    double range_bound(std::size_t depth, double current, double linear) const;

    // A bound of what `piece`, of a part after this node's, can add to the current set together with its
    // share of the skills' gains; the terms of several such parts add up to a bound of their sum.
    double term(std::size_t depth, const FlatPiece& piece);

    // Fills terms_[depth] (and, above the leaf parents, terms_[kLastDepth]) with the pieces' terms, or
    // -inf for those whose static term shows they cannot reach `floor` (which only rises); returns the
    // sum over the deeper parts of their best term.
    double compute_child_terms(std::size_t depth, double current, double floor);

    // terms_[d] for the node at `depth`, -inf where the static term is below `needed`; the best term.
    double fill_terms(std::size_t d, std::size_t depth, double needed);

    double leaf_gain(const FlatPiece& piece) const {
        double gain = piece.linear;
        for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i) {
            const SkillLevel& s = model_.skills[i];
            gain += curves_.value(s.skill, levels_[s.skill] + s.level) - values_[s.skill];
        }
        return gain;
    }

    // The filters on the totals (exclusions and pins are already out of the model).
    bool leaf_meets_filters(const FlatPiece& piece) const {
        if (defence_ + piece.defence < model_.min_defence) return false;
        for (const auto& [skill, level] : model_.requirements)
            if (levels_[skill] + level_in(model_, piece, skill) < level) return false;
        return true;
    }

    // Scorer::score of the current set completed with `piece`, bit for bit: the skills' values are
    // added in id order from the merged levels, as Scorer::score adds them from totals_of.
    double exact_score(const FlatPiece& piece);

    // The skills of the pieces above the leaves, by id, with their non-zero summed levels.
    void collect_active_skills();

    const Model& model_;
    const SkillCurves& curves_;
    const Catalogue& catalogue_;
    const Scorer& scorer_;
    std::array<CombinationKey, kPartCount> stride_{};  // by part
    std::vector<int> levels_;
    std::vector<double> values_;  // skill value at the current level
    int defence_ = 0;
    std::array<int, kSlotLevels> slots_{};
    std::array<std::uint32_t, kPartCount> chosen_{};  // by depth
    Positions positions_{};
    CombinationKey key_ = 0;  // of the chosen pieces, the leaf's part counting as position 0
    bool exact_from_levels_ = true;
    bool active_ready_ = false;
    std::vector<SkillLevel> active_;
    Totals scratch_;
    std::vector<GainEnvelope> envelopes_;  // of skill s at the node numbered envelope_node_[s]
    std::vector<std::uint64_t> envelope_node_;
    std::uint64_t node_ = 0;
    std::array<std::vector<double>, kPartCount> terms_;
    std::array<std::vector<std::uint32_t>, kPartCount> order_;
    std::vector<std::uint32_t> leaf_candidates_;
    SearchStats stats_;
};

}  // namespace mhwopt::engine
