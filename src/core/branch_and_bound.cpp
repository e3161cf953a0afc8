#include "core/branch_and_bound.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace mhwopt {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr long long kUncapped = 1LL << 40;
constexpr std::size_t kLastDepth = kPartCount - 1;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Scorer::skill_value as a function of the total level, which is linear on each side of the cap:
// every extremum over a range of levels is at an end of the range or next to the cap.
class SkillCurves {
public:
    SkillCurves(const Catalogue& catalogue, const Scorer& scorer)
        : scorer_(scorer), last_weighted_(catalogue.skill_count()) {
        for (SkillId s = 0; s < last_weighted_.size(); ++s) {
            const double max = scorer.rule(s).max;
            // "level > max" for an integer level is "level > floor(max)"; NaN compares false, so never capped.
            if (!(max < 1e15)) last_weighted_[s] = kUncapped;
            else if (max < -1e15) last_weighted_[s] = -kUncapped;
            else last_weighted_[s] = static_cast<long long>(std::floor(max));
        }
    }

    double value(SkillId s, long long level) const { return scorer_.skill_value(s, static_cast<int>(level)); }
    long long last_weighted(SkillId s) const { return last_weighted_[s]; }

    double best_between(SkillId s, int low, int high) const {
        double best = std::max(value(s, low), value(s, high));
        const long long cap = last_weighted_[s];
        for (long long level : {cap, cap + 1})
            if (level > low && level < high) best = std::max(best, value(s, level));
        return best;
    }

    // A lower bound, over every level c in [0, reach] the other parts may add, of value(c + a) - value(c + b).
    double least_difference(SkillId s, int a, int b, int reach) const {
        const long long cap = last_weighted_[s];
        double least = kInfinity;
        for (long long c : {0LL, static_cast<long long>(reach), cap - a, cap - a + 1, cap - b, cap - b + 1})
            if (c >= 0 && c <= reach) least = std::min(least, value(s, c + a) - value(s, c + b));
        return least;
    }

private:
    const Scorer& scorer_;
    std::vector<long long> last_weighted_;
};

// The least concave majorant g of h(k) = value(level + k) - value(level) over k in [0, reach].
// Concave with g(0) = 0 makes g subadditive, so the gains of the remaining parts together are at most
// the sum over parts of g(what that part's piece adds): a bound taken per part, which knows that a
// part contributes one piece, not the best piece for each skill at once.
struct GainEnvelope {
    int count = 0;
    std::array<int, 4> k{};
    std::array<double, 4> gain{};

    double at(int level) const {
        for (int i = 1; i < count; ++i)
            if (level <= k[i])
                return gain[i - 1] + (gain[i] - gain[i - 1]) * (level - k[i - 1]) / (k[i] - k[i - 1]);
        return gain[count - 1];
    }
};

GainEnvelope gain_envelope(const SkillCurves& curves, SkillId s, int level, int reach) {
    const long long cap = curves.last_weighted(s) - level;
    std::array<long long, 4> candidates = {0, cap, cap + 1, reach};
    std::sort(candidates.begin(), candidates.end());
    const double base = curves.value(s, level);
    GainEnvelope e;
    long long previous = -1;
    for (long long k : candidates) {
        if (k < 0 || k > reach || k == previous) continue;
        previous = k;
        const double gain = curves.value(s, level + k) - base;
        while (e.count >= 2) {
            const int i = e.count - 2, j = e.count - 1;
            if ((e.gain[j] - e.gain[i]) * static_cast<double>(k - e.k[i]) >
                (gain - e.gain[i]) * static_cast<double>(e.k[j] - e.k[i]))
                break;
            --e.count;  // the middle point is on or under the chord: not a vertex of the concave hull
        }
        e.k[e.count] = static_cast<int>(k);
        e.gain[e.count] = gain;
        ++e.count;
    }
    return e;
}

struct FlatPiece {
    std::uint32_t position = 0;  // in its catalogue part
    double linear = 0.0;
    int defence = 0;
    std::array<int, kSlotLevels> slots{};
    std::uint32_t skill_begin = 0, skill_end = 0;  // merged by skill, zero levels dropped
    double alone = 0.0;  // its score were the other parts to add nothing
};

struct Model {
    std::array<std::size_t, kPartCount> part_at_depth{};
    std::array<std::vector<FlatPiece>, kPartCount> pieces;  // by depth
    std::vector<SkillLevel> skills;
    // From each depth on (the parts not chosen yet): the most each skill's level, the linear value and
    // the defence can still grow.
    std::array<std::vector<int>, kPartCount + 1> reach;
    std::array<std::vector<SkillId>, kPartCount + 1> reachable;  // skills of non-zero reach
    std::array<double, kPartCount + 1> linear_reach{};
    std::array<int, kPartCount + 1> defence_reach{};
    std::vector<std::pair<SkillId, int>> requirements;  // the ones that bind (level > 0)
    int min_defence = 0;
    bool impossible = false;  // an empty part, or a requirement on a skill no piece has
    double slack = 0.0;
    // A bound of each piece's term at any node (see PartialSet::term), by depth: its linear value plus
    // each level times the most one level of the skill can be worth. Checking it first spares
    // computing most terms. by_static: the pieces' indices, best static term first.
    std::array<std::vector<double>, kPartCount> static_term;
    std::array<std::vector<std::uint32_t>, kPartCount> by_static;
    std::array<double, kPartCount> best_static{};
};

int level_in(const Model& model, const FlatPiece& piece, SkillId skill) {
    for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i)
        if (model.skills[i].skill == skill) return model.skills[i].level;
    return 0;
}

FlatPiece flatten(const Piece& piece, std::uint32_t position, const Scorer& scorer, const SkillCurves& curves,
                  std::vector<SkillLevel>& skills) {
    FlatPiece flat;
    flat.position = position;
    flat.linear = scorer.linear_value(piece.slots, piece.defence);
    flat.defence = piece.defence;
    flat.slots = piece.slots;
    flat.skill_begin = static_cast<std::uint32_t>(skills.size());
    for (const SkillLevel& s : piece.skills) {
        auto same = std::find_if(skills.begin() + flat.skill_begin, skills.end(),
                                 [&](const SkillLevel& t) { return t.skill == s.skill; });
        if (same != skills.end()) same->level += s.level;
        else skills.push_back(s);
    }
    skills.erase(std::remove_if(skills.begin() + flat.skill_begin, skills.end(),
                                [](const SkillLevel& s) { return s.level == 0; }),
                 skills.end());
    std::sort(skills.begin() + flat.skill_begin, skills.end(),
              [](const SkillLevel& a, const SkillLevel& b) { return a.skill < b.skill; });
    flat.skill_end = static_cast<std::uint32_t>(skills.size());
    flat.alone = flat.linear;
    for (std::uint32_t i = flat.skill_begin; i < flat.skill_end; ++i)
        flat.alone += curves.value(skills[i].skill, skills[i].level);
    return flat;
}

class DominanceCheck {
public:
    DominanceCheck(const Model& model, const SkillCurves& curves, const std::vector<int>& other_reach)
        : model_(model), curves_(curves), other_reach_(other_reach) {}

    // True only when, in every completion by the other parts, a set with `a` ranks before the same set
    // with `b` (Scorer::score higher, or equal with a lower key) and meets every filter `b`'s set meets.
    bool dominates(const FlatPiece& a, const FlatPiece& b) const {
        if (model_.min_defence > 0 && a.defence < b.defence) return false;
        for (const auto& [skill, level] : model_.requirements)
            if (level_in(model_, a, skill) < level_in(model_, b, skill)) return false;
        if (same_totals(a, b)) return a.position < b.position;  // equal scores bit for bit: the key decides
        // Different totals may round to equal or swapped doubles, so demand a margin beyond rounding.
        double least = a.linear - b.linear;
        std::uint32_t i = a.skill_begin, j = b.skill_begin;
        while (i < a.skill_end || j < b.skill_end) {
            SkillId skill;
            int level_a = 0, level_b = 0;
            if (j == b.skill_end || (i < a.skill_end && model_.skills[i].skill < model_.skills[j].skill)) {
                skill = model_.skills[i].skill;
                level_a = model_.skills[i++].level;
            } else if (i == a.skill_end || model_.skills[j].skill < model_.skills[i].skill) {
                skill = model_.skills[j].skill;
                level_b = model_.skills[j++].level;
            } else {
                skill = model_.skills[i].skill;
                level_a = model_.skills[i++].level;
                level_b = model_.skills[j++].level;
            }
            least += curves_.least_difference(skill, level_a, level_b, other_reach_[skill]);
        }
        return least > model_.slack;
    }

private:
    bool same_totals(const FlatPiece& a, const FlatPiece& b) const {
        if (a.slots != b.slots || a.defence != b.defence) return false;
        if (a.skill_end - a.skill_begin != b.skill_end - b.skill_begin) return false;
        for (std::uint32_t i = 0; i < a.skill_end - a.skill_begin; ++i) {
            const SkillLevel& x = model_.skills[a.skill_begin + i];
            const SkillLevel& y = model_.skills[b.skill_begin + i];
            if (x.skill != y.skill || x.level != y.level) return false;
        }
        return true;
    }

    const Model& model_;
    const SkillCurves& curves_;
    const std::vector<int>& other_reach_;
};

void add_static_terms(Model& model, const SkillCurves& curves) {
    // The value is linear on each side of the cap, so the steepest step is at an end or at the cap.
    std::vector<double> steepest(model.reach[0].size(), 0.0);
    for (SkillId s = 0; s < steepest.size(); ++s) {
        const long long reach = model.reach[0][s], cap = curves.last_weighted(s);
        double most = -kInfinity;
        for (long long level : {0LL, cap, reach - 1})
            if (level >= 0 && level < reach) most = std::max(most, curves.value(s, level + 1) - curves.value(s, level));
        steepest[s] = most;
    }
    for (std::size_t d = 0; d < kPartCount; ++d) {
        const auto& pieces = model.pieces[d];
        auto& terms = model.static_term[d];
        terms.resize(pieces.size());
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            double t = pieces[i].linear;
            for (std::uint32_t k = pieces[i].skill_begin; k < pieces[i].skill_end; ++k) {
                const SkillLevel& s = model.skills[k];
                t += s.level > 0 ? s.level * steepest[s.skill] : kInfinity;  // negative levels: no shortcut
            }
            terms[i] = t;
        }
        auto& order = model.by_static[d];
        order.resize(pieces.size());
        std::iota(order.begin(), order.end(), 0u);
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return terms[a] > terms[b]; });
        model.best_static[d] = terms.empty() ? -kInfinity : terms[order.front()];
    }
}

struct ModelOptions {
    std::optional<std::size_t> dominance_limit;  // remove pieces with this many dominators; none: keep all
    bool key_order = false;  // parts in key order and pieces by position (for ordered streaming); else best alone first
};

Model build_model(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                  const SkillCurves& curves, const ModelOptions& options, SearchStats& stats) {
    const std::size_t skill_count = catalogue.skill_count();
    Model model;
    model.slack = 4.0 * rounding_margin(catalogue, scorer);
    model.min_defence = filters.min_defence;
    for (const auto& r : filters.requirements) {
        if (r.min_level <= 0) continue;
        if (!r.skill) model.impossible = true;
        else model.requirements.emplace_back(*r.skill, r.min_level);
    }

    std::array<std::vector<FlatPiece>, kPartCount> by_part;
    std::array<std::vector<int>, kPartCount> part_max;
    std::vector<int> total_max(skill_count, 0);
    for (Part part : kAllParts) {
        const std::size_t p = index_of(part);
        const auto& pieces = catalogue.pieces(part);
        stats.pieces[p] = pieces.size();
        part_max[p].assign(skill_count, 0);
        for (std::uint32_t i = 0; i < pieces.size(); ++i) {
            if (!filters.allowed[p][i]) {
                ++stats.removed_by_filters[p];
                continue;
            }
            by_part[p].push_back(flatten(pieces[i], i, scorer, curves, model.skills));
            const FlatPiece& flat = by_part[p].back();
            for (std::uint32_t k = flat.skill_begin; k < flat.skill_end; ++k)
                part_max[p][model.skills[k].skill] = std::max(part_max[p][model.skills[k].skill], model.skills[k].level);
        }
        if (by_part[p].empty()) model.impossible = true;
        for (std::size_t s = 0; s < skill_count; ++s) total_max[s] += part_max[p][s];
    }
    if (model.impossible) return model;

    if (options.dominance_limit) {
        const std::size_t limit = *options.dominance_limit;
        std::vector<int> other_reach(skill_count);
        for (std::size_t p = 0; p < kPartCount; ++p) {
            auto& pieces = by_part[p];
            if (pieces.size() <= limit) continue;
            for (std::size_t s = 0; s < skill_count; ++s) other_reach[s] = total_max[s] - part_max[p][s];
            const DominanceCheck check(model, curves, other_reach);
            std::vector<std::uint32_t> by_alone(pieces.size());
            std::iota(by_alone.begin(), by_alone.end(), 0u);
            std::stable_sort(by_alone.begin(), by_alone.end(),
                             [&](std::uint32_t x, std::uint32_t y) { return pieces[x].alone > pieces[y].alone; });
            // Decided against the unreduced part: a dropped dominator is itself dominated by enough
            // kept pieces, which (the relation being transitive) dominate the piece too.
            std::vector<bool> dropped(pieces.size(), false);
            for (std::uint32_t b : by_alone) {
                std::size_t dominators = 0;
                for (std::uint32_t a : by_alone) {
                    // Outscoring b in every completion means outscoring it alone, so stop at the first weaker piece.
                    if (pieces[a].alone < pieces[b].alone) break;
                    if (a != b && check.dominates(pieces[a], pieces[b]) && ++dominators >= limit) break;
                }
                dropped[b] = dominators >= limit;
            }
            std::vector<FlatPiece> kept;
            for (std::size_t i = 0; i < pieces.size(); ++i)
                if (!dropped[i]) kept.push_back(pieces[i]);
            stats.removed_by_dominance[p] = pieces.size() - kept.size();
            pieces = std::move(kept);
        }
    }

    std::array<std::size_t, kPartCount> order{};
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (!options.key_order) {
        // Small parts first: the big parts are then enumerated at the leaves, where a piece costs a
        // few additions, and the early levels branch little.
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t x, std::size_t y) { return by_part[x].size() < by_part[y].size(); });
    }
    for (std::size_t d = 0; d < kPartCount; ++d) {
        model.part_at_depth[d] = order[d];
        model.pieces[d] = std::move(by_part[order[d]]);
        stats.search_order[d] = static_cast<Part>(order[d]);
    }
    if (!options.key_order) {
        // The root's own child order makes the units' order: the best-looking prefixes are explored first.
        for (auto& pieces : model.pieces)
            std::stable_sort(pieces.begin(), pieces.end(), [](const FlatPiece& a, const FlatPiece& b) { return a.alone > b.alone; });
    }

    model.reach[kPartCount].assign(skill_count, 0);
    for (std::size_t d = kPartCount; d-- > 0;) {
        model.reach[d] = model.reach[d + 1];
        double best_linear = -kInfinity;
        int best_defence = std::numeric_limits<int>::min();
        std::vector<int> best_level(skill_count, 0);
        for (const FlatPiece& piece : model.pieces[d]) {
            best_linear = std::max(best_linear, piece.linear);
            best_defence = std::max(best_defence, piece.defence);
            for (std::uint32_t k = piece.skill_begin; k < piece.skill_end; ++k)
                best_level[model.skills[k].skill] = std::max(best_level[model.skills[k].skill], model.skills[k].level);
        }
        for (std::size_t s = 0; s < skill_count; ++s) model.reach[d][s] += best_level[s];
        model.linear_reach[d] = model.linear_reach[d + 1] + best_linear;
        model.defence_reach[d] = model.defence_reach[d + 1] + best_defence;
        for (std::size_t s = 0; s < skill_count; ++s)
            if (model.reach[d][s] > 0) model.reachable[d].push_back(static_cast<SkillId>(s));
    }
    add_static_terms(model, curves);
    return model;
}

class SharedThreshold {
public:
    double get() const { return value_.load(std::memory_order_relaxed); }
    void raise(double candidate) {
        double current = value_.load(std::memory_order_relaxed);
        while (candidate > current && !value_.compare_exchange_weak(current, candidate, std::memory_order_relaxed)) {}
    }

private:
    std::atomic<double> value_{-kInfinity};
};

// An order-preserving map of the doubles (NaN aside) onto the integers. The counting passes split
// score ranges in these keys rather than in values, so every bucket edge is itself a double, the
// buckets are exactly monotone, and a range one key wide holds a single score.
std::uint64_t ordered_key(double score) {
    if (score == 0) score = 0.0;  // -0.0 and 0.0 are the same score
    std::uint64_t bits;
    std::memcpy(&bits, &score, sizeof bits);
    return (bits >> 63) ? ~bits : bits | (std::uint64_t{1} << 63);
}

double from_ordered_key(std::uint64_t key) {
    const std::uint64_t bits = (key >> 63) ? key & ~(std::uint64_t{1} << 63) : ~key;
    double score;
    std::memcpy(&score, &bits, sizeof score);
    return score;
}

struct Context {
    const Model& model;
    const SkillCurves& curves;
    const Catalogue& catalogue;
    const Scorer& scorer;
};

// A depth-first walk over the model with the running totals of a partial set and its bounds. What is
// done with the complete sets, and how high the bar is, is up to a policy:
//   static constexpr bool kBestFirst;     children by bound, best first (else in model order)
//   bool stopped() const;                 give up (cancelled, or nothing more is wanted)
//   double floor() const;                 sets whose incrementally summed score is below it are not
//                                         wanted (it includes the rounding slack; it may only rise)
//   void leaf(PartialSet&, index, score); a passing complete set and its exact Scorer::score
//   void leaves_done(PartialSet&);        after the last leaf of a leaf parent
class PartialSet {
public:
    explicit PartialSet(const Context& context)
        : model_(context.model), curves_(context.curves), catalogue_(context.catalogue), scorer_(context.scorer),
          levels_(context.catalogue.skill_count(), 0), values_(context.catalogue.skill_count(), 0.0),
          envelopes_(context.catalogue.skill_count()), envelope_node_(context.catalogue.skill_count(), 0) {
        for (SkillId s = 0; s < values_.size(); ++s) values_[s] = curves_.value(s, 0);
        // Scorer::score also adds the value of skills whose levels sum to 0; skipping them is exact
        // only while that value is a zero (it is NaN for an infinite weight).
        exact_from_levels_ = std::all_of(values_.begin(), values_.end(), [](double v) { return v == 0.0; });
        const KeyCodec codec(context.catalogue);
        for (std::size_t p = 0; p < kPartCount; ++p) {
            Positions unit{};
            unit[p] = 1;
            stride_[p] = codec.encode(unit);
        }
    }

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
        if (!constraints_reachable(depth)) {
            ++stats_.cut_by_constraint;
            return;
        }
        const double range = range_bound(depth, current);
        if (range < policy.floor()) {
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
            if (std::min(range, bound + rest) < policy.floor()) {
                ++stats_.cut_by_bound;
                if (sorted) break;  // and every later sibling, whose terms are no larger
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
            if (current + leaf_gain(piece) < floor || !leaf_meets_filters(piece)) continue;
            ++stats_.combinations_scored;
            policy.leaf(*this, index, exact_score(piece));
            floor = policy.floor();
        }
        policy.leaves_done(*this);
    }

    // The leaves that may complete some child of this node (the floor only rises), best term first.
    void select_leaf_candidates(double current, double floor) {
        const auto& child_terms = terms_[kLastDepth - 1];
        const auto& terms = terms_[kLastDepth];
        const double best_child = *std::max_element(child_terms.begin(), child_terms.end());
        leaf_candidates_.clear();
        for (std::uint32_t i = 0; i < terms.size(); ++i)
            if (current + best_child + terms[i] >= floor) leaf_candidates_.push_back(i);
        std::sort(leaf_candidates_.begin(), leaf_candidates_.end(), [&](std::uint32_t a, std::uint32_t b) {
            return terms[a] > terms[b] || (terms[a] == terms[b] && a < b);
        });
    }

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

    // Each skill at the best level it can still take, each remaining part at its best linear value.
    double range_bound(std::size_t depth, double current) const {
        double bound = current + model_.linear_reach[depth];
        for (SkillId s : model_.reachable[depth])
            bound += curves_.best_between(s, levels_[s], levels_[s] + model_.reach[depth][s]) - values_[s];
        return bound;
    }

    // A bound of what `piece`, of a part after this node's, can add to the current set together with its
    // share of the skills' gains; the terms of several such parts add up to a bound of their sum.
    double term(std::size_t depth, const FlatPiece& piece) {
        double t = piece.linear;
        for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i) {
            const SkillId s = model_.skills[i].skill;
            if (envelope_node_[s] != node_) {
                envelopes_[s] = gain_envelope(curves_, s, levels_[s], model_.reach[depth][s]);
                envelope_node_[s] = node_;
            }
            t += envelopes_[s].at(model_.skills[i].level);
        }
        return t;
    }

    // Fills terms_[depth] (and, above the leaf parents, terms_[kLastDepth]) with the pieces' terms, or
    // -inf for those whose static term shows they cannot reach `floor` (which only rises); returns the
    // sum over the deeper parts of their best term.
    double compute_child_terms(std::size_t depth, double current, double floor) {
        ++node_;
        double rest = 0.0;
        if (depth + 1 == kLastDepth) {
            rest = fill_terms(kLastDepth, depth, floor - current - model_.best_static[depth]);
        } else {
            for (std::size_t d = depth + 1; d < kPartCount; ++d) {
                double best = -kInfinity;
                for (std::uint32_t i : model_.by_static[d]) {
                    if (model_.static_term[d][i] <= best) break;
                    best = std::max(best, term(depth, model_.pieces[d][i]));
                }
                rest += best;
            }
        }
        fill_terms(depth, depth, floor - current - rest);
        return rest;
    }

    // terms_[d] for the node at `depth`, -inf where the static term is below `needed`; the best term.
    double fill_terms(std::size_t d, std::size_t depth, double needed) {
        auto& terms = terms_[d];
        terms.resize(model_.pieces[d].size());
        double best = -kInfinity;
        for (std::size_t i = 0; i < terms.size(); ++i) {
            terms[i] = model_.static_term[d][i] < needed ? -kInfinity : term(depth, model_.pieces[d][i]);
            best = std::max(best, terms[i]);
        }
        return best;
    }

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
    double exact_score(const FlatPiece& piece) {
        if (!exact_from_levels_) {
            positions_[model_.part_at_depth[kLastDepth]] = piece.position;
            totals_of(catalogue_, positions_, scratch_);
            return scorer_.score(scratch_);
        }
        if (!active_ready_) collect_active_skills();
        double skills = 0.0;
        std::size_t i = 0;
        std::uint32_t j = piece.skill_begin;
        while (i < active_.size() || j < piece.skill_end) {
            if (j == piece.skill_end || (i < active_.size() && active_[i].skill < model_.skills[j].skill)) {
                skills += scorer_.skill_value(active_[i].skill, active_[i].level);
                ++i;
            } else if (i == active_.size() || model_.skills[j].skill < active_[i].skill) {
                skills += scorer_.skill_value(model_.skills[j].skill, model_.skills[j].level);
                ++j;
            } else {
                skills += scorer_.skill_value(active_[i].skill, active_[i].level + model_.skills[j].level);
                ++i;
                ++j;
            }
        }
        std::array<int, kSlotLevels> slots = slots_;
        for (std::size_t l = 0; l < kSlotLevels; ++l) slots[l] += piece.slots[l];
        return scorer_.score(slots, defence_ + piece.defence, skills);
    }

    // The skills of the pieces above the leaves, by id, with their non-zero summed levels.
    void collect_active_skills() {
        active_.clear();
        for (std::size_t d = 0; d < kLastDepth; ++d) {
            const FlatPiece& piece = model_.pieces[d][chosen_[d]];
            for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i)
                active_.push_back({model_.skills[i].skill, 0});
        }
        std::sort(active_.begin(), active_.end(), [](const SkillLevel& a, const SkillLevel& b) { return a.skill < b.skill; });
        active_.erase(std::unique(active_.begin(), active_.end(),
                                  [](const SkillLevel& a, const SkillLevel& b) { return a.skill == b.skill; }),
                      active_.end());
        for (SkillLevel& s : active_) s.level = levels_[s.skill];
        active_.erase(std::remove_if(active_.begin(), active_.end(), [](const SkillLevel& s) { return s.level == 0; }),
                      active_.end());
        active_ready_ = true;
    }

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

// Work units for several threads: every combination of pieces at the first `depth` depths, best first.
std::vector<std::vector<std::uint32_t>> prefixes(const Model& model, unsigned threads) {
    std::size_t depth = 0;
    std::uint64_t count = 1;
    if (threads > 1)
        while (depth < 2 && count < 16ull * threads) count *= model.pieces[depth++].size();
    std::vector<std::vector<std::uint32_t>> units;
    units.reserve(count);
    std::vector<std::uint32_t> prefix(depth, 0);
    for (std::uint64_t u = 0; u < count; ++u) {
        std::uint64_t rest = u;
        for (std::size_t d = depth; d-- > 0;) {
            prefix[d] = static_cast<std::uint32_t>(rest % model.pieces[d].size());
            rest /= model.pieces[d].size();
        }
        units.push_back(prefix);
    }
    return units;
}

void add_counters(SearchStats& total, const SearchStats& part) {
    total.nodes_visited += part.nodes_visited;
    total.cut_by_bound += part.cut_by_bound;
    total.cut_by_constraint += part.cut_by_constraint;
    total.combinations_scored += part.combinations_scored;
}

// Runs policies[t] on thread t over the best-first work units (in any order between threads).
template <typename Policy>
void explore_in_parallel(const Context& context, std::vector<Policy>& policies, SearchStats& stats) {
    const auto units = prefixes(context.model, static_cast<unsigned>(policies.size()));
    std::vector<PartialSet> sets(policies.size(), PartialSet(context));
    std::atomic<std::size_t> next_unit{0};
    auto work = [&](std::size_t t) {
        for (std::size_t u; (u = next_unit.fetch_add(1, std::memory_order_relaxed)) < units.size();)
            sets[t].explore_from(units[u], policies[t]);
    };
    std::vector<std::thread> workers;
    for (std::size_t t = 1; t < policies.size(); ++t) workers.emplace_back(work, t);
    work(0);
    for (auto& worker : workers) worker.join();
    for (auto& set : sets) add_counters(stats, set.stats());
}

// The best `limit` sets, with the N-th best so far shared between threads as the bar.
class TopNPolicy {
public:
    static constexpr bool kBestFirst = true;
    TopNPolicy(std::size_t limit, double min_improvement, double slack, SharedThreshold& shared,
               const std::atomic<bool>* cancel)
        : top_(limit), min_improvement_(min_improvement), slack_(slack), shared_(&shared), cancel_(cancel) {}

    bool stopped() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
    // A set is worth looking at only if it can rank before the N-th best so far: a score above it
    // or, at equal score, a lower key; so bounds cut only when strictly below (less the slack).
    double floor() const { return std::max(top_.threshold(), shared_->get()) + min_improvement_ - slack_; }
    void leaf(const PartialSet& set, std::uint32_t index, double score) {
        top_.offer({score, set.leaf_key(index)});
        if (top_.full()) shared_->raise(top_.threshold());
    }
    void leaves_done(const PartialSet&) {}
    const TopN& top() const { return top_; }

private:
    TopN top_;
    double min_improvement_;
    double slack_;
    SharedThreshold* shared_;
    const std::atomic<bool>* cancel_;
};

// A score range [low, high) of ordered keys cut into buckets, and how many passing sets are already
// known to score at or above `high`. A wide range (around 0 the keys are logarithmic in the value)
// is cut at equal steps of value, a narrow one at equal steps of keys; either way the edges are
// doubles and monotone, and a score's bucket is decided by comparing with them.
class CountRange {
public:
    std::uint64_t above = 0;

    CountRange(std::uint64_t low, std::uint64_t high, std::size_t max_buckets, std::uint64_t known_above)
        : above(known_above), low_(low), high_(high) {
        low_value_ = from_ordered_key(low);
        width_ = from_ordered_key(high - 1) - low_value_;
        if (high - low > (std::uint64_t{1} << 40) && std::isfinite(width_)) {
            by_value_ = true;
            buckets_ = max_buckets;
        } else {
            while (((high - low - 1) >> shift_) >= max_buckets) ++shift_;
            buckets_ = static_cast<std::size_t>(((high - low - 1) >> shift_) + 1);
        }
    }

    std::uint64_t high() const { return high_; }
    std::size_t buckets() const { return buckets_; }

    std::uint64_t edge_key(std::size_t bucket) const {
        if (bucket == 0) return low_;
        if (bucket >= buckets_) return high_;
        if (!by_value_) return std::min(high_, low_ + (static_cast<std::uint64_t>(bucket) << shift_));
        const double edge = low_value_ + width_ * (static_cast<double>(bucket) / static_cast<double>(buckets_));
        return std::clamp(ordered_key(edge), low_, high_);
    }
    double edge(std::size_t bucket) const { return from_ordered_key(edge_key(bucket)); }

    // For a score in the range.
    std::size_t bucket_of(double score) const {
        const std::uint64_t key = ordered_key(score);
        if (!by_value_) return static_cast<std::size_t>((key - low_) >> shift_);
        const double guess = std::floor((score - low_value_) / width_ * static_cast<double>(buckets_));
        std::size_t b = !(guess > 0) ? 0 : std::min(buckets_ - 1, static_cast<std::size_t>(guess));
        while (b > 0 && key < edge_key(b)) --b;
        while (b + 1 < buckets_ && key >= edge_key(b + 1)) ++b;
        return b;
    }

private:
    std::uint64_t low_, high_;
    bool by_value_ = false;
    double low_value_ = 0.0, width_ = 0.0;
    unsigned shift_ = 0;
    std::size_t buckets_ = 0;
};


// Counts the passing sets of a CountRange per bucket. The cut rises as soon as the counts show the
// N-th best score is above it: the floor bucket is the highest one with at least n sets at or above
// it. Every thread's cut is a valid bar for all (each counts a subset of the sets), so they share it.
// What a thread counted in one bucket: how many sets, and the two highest and the lowest score with
// how many sets have each. A tracked score's count is exact (a score enters the top two or the
// lowest only at its first occurrence, and is not tracked again once dropped), so when the three
// account for every set, the bucket's scores are all known.
struct BucketTally {
    std::uint64_t count = 0;
    double highest = -kInfinity, second = -kInfinity, lowest = kInfinity;
    std::uint64_t at_highest = 0, at_second = 0, at_lowest = 0;

    void add(double score) {
        ++count;
        if (score == highest) {
            ++at_highest;
        } else if (score > highest) {
            second = highest, at_second = at_highest;
            highest = score, at_highest = 1;
        } else if (score == second) {
            ++at_second;
        } else if (score > second) {
            second = score, at_second = 1;
        }
        if (score == lowest) ++at_lowest;
        else if (score < lowest) lowest = score, at_lowest = 1;
    }

    // Every score with its count, highest first, when the tracked ones account for every set.
    std::optional<std::vector<std::pair<double, std::uint64_t>>> scores() const {
        std::vector<std::pair<double, std::uint64_t>> known;
        if (at_highest > 0) known.emplace_back(highest, at_highest);
        if (at_second > 0) known.emplace_back(second, at_second);
        if (at_lowest > 0 && lowest < (at_second > 0 ? second : highest)) known.emplace_back(lowest, at_lowest);
        std::uint64_t sum = 0;
        for (const auto& k : known) sum += k.second;
        if (sum != count) return std::nullopt;
        return known;
    }
};

// Counts the passing sets of a CountRange per bucket. The cut rises as soon as the counts show the
// N-th best score is above it: the floor bucket is the highest one with at least n sets at or above
// it. Every thread's cut is a valid bar for all (each counts a subset of the sets), so they share it.
class CountPolicy {
public:
    static constexpr bool kBestFirst = true;
    // keep_limit > 0: also keep the sets at or above the cut, up to that many at a time.
    CountPolicy(const CountRange& range, std::uint64_t n, std::uint64_t crowded, double slack, SharedThreshold& shared,
                const std::atomic<bool>* cancel, std::size_t keep_limit)
        : range_(&range), n_(n), crowded_at_(2 * n + crowded), slack_(slack), shared_(&shared), cancel_(cancel),
          tallies_(range.buckets()), above_(range.above), cut_(range.edge(0)), keep_limit_(keep_limit) {
        kept_.reserve(keep_limit_);  // never reallocated: growing would briefly hold it twice
    }

    bool stopped() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
    double floor() const { return std::max(cut_, shared_->get()) - slack_; }
    void leaf(const PartialSet& set, std::uint32_t index, double score) {
        const double bar = std::max(cut_, shared_->get());
        if (!(score >= bar)) return;
        if (keep_limit_ > 0) keep({score, set.leaf_key(index)}, bar);
        if (ordered_key(score) >= range_->high()) return;
        const std::size_t b = range_->bucket_of(score);
        tallies_[b].add(score);
        if (b > floor_bucket_) ++above_;
        // above_ counts the sets above the floor bucket; move up while those alone are enough.
        while (floor_bucket_ + 1 < tallies_.size() && above_ >= n_) above_ -= tallies_[++floor_bucket_].count;
        const std::uint64_t at_or_above = above_ + tallies_[floor_bucket_].count;
        if (at_or_above < n_) return;
        double cut = range_->edge(floor_bucket_);
        // When the floor bucket alone holds far more sets than needed, it is not counted further:
        // more sets there cannot move the N-th out of it, and a score with millions of ties would
        // otherwise be enumerated in full.
        if (at_or_above >= crowded_at_) {
            cut = range_->edge(floor_bucket_ + 1);
            crowded_ = std::max(crowded_, static_cast<std::ptrdiff_t>(floor_bucket_));
        }
        if (cut > cut_) {
            cut_ = cut;
            shared_->raise(cut);
        }
    }
    void leaves_done(const PartialSet&) {}

    const std::vector<BucketTally>& tallies() const { return tallies_; }
    bool kept_all() const { return keep_limit_ > 0; }
    std::vector<Ranked>& kept() { return kept_; }
    // The highest bucket this thread stopped counting (-1: none).
    std::ptrdiff_t crowded() const { return crowded_; }

private:
    const CountRange* range_;
    std::uint64_t n_;
    std::uint64_t crowded_at_;
    double slack_;
    SharedThreshold* shared_;
    const std::atomic<bool>* cancel_;
    std::vector<BucketTally> tallies_;
    std::size_t floor_bucket_ = 0;
    std::uint64_t above_;
    double cut_;
    std::ptrdiff_t crowded_ = -1;
    std::size_t keep_limit_;
    std::vector<Ranked> kept_;

    void keep(const Ranked& r, double bar) {
        if (kept_.size() == keep_limit_) {
            // The bar has risen since most of them were kept.
            kept_.erase(std::remove_if(kept_.begin(), kept_.end(), [&](const Ranked& k) { return k.score < bar; }), kept_.end());
            if (kept_.size() > keep_limit_ / 4 * 3) {
                keep_limit_ = 0;  // too many: the caller enumerates them again instead
                std::vector<Ranked>().swap(kept_);
                return;
            }
        }
        kept_.push_back(r);
    }
};

// What a counting pass found: the bucket holding the N-th best score, or that fewer than n sets
// score at or above the range's low end.
struct CountResult {
    bool enough = false;
    std::uint64_t total = 0;  // when not enough: the sets at or above the range's low end, exactly
    std::uint64_t low_key = 0, high_key = 0;  // the N-th's bucket
    std::uint64_t above = 0;                  // sets at or above high_key, exactly
    // When complete (every set of the bucket was counted): its least and greatest score, how many
    // sets have each, and how many sets it holds; and every score with its count when known.
    bool complete = false;
    double lowest = kInfinity, highest = -kInfinity;
    std::uint64_t at_lowest = 0, at_highest = 0, count = 0;
    std::optional<std::vector<std::pair<double, std::uint64_t>>> scores;
};

// The sets the first counting pass that holds the N-th best kept on the way (each thread's, in any
// order): when complete, every set scoring at or above the N-th best is among them, so the top N need
// not be enumerated again.
struct Harvest {
    bool complete = false;
    std::vector<std::vector<Ranked>> sets;
};

// The limits of one search for the N-th best score.
struct NthSearch {
    std::size_t n;
    unsigned threads;
    const std::atomic<bool>* cancel;
    CountingTuning tuning;
    Harvest* harvest = nullptr;  // the counting passes at rank n fill it
};

CountResult count_pass(const Context& context, const CountRange& range, const NthSearch& search, SearchStats& stats) {
    const std::uint64_t n = search.n;
    SharedThreshold shared;
    std::vector<CountPolicy> policies;
    // Twice n in all: a pass whose range holds far more is better repeated than held.
    const std::size_t keep_limit = search.harvest ? std::max<std::size_t>(1, 2 * search.n / search.threads + search.tuning.kept_beyond) : 0;
    for (unsigned t = 0; t < search.threads; ++t)
        policies.emplace_back(range, n, search.tuning.crowded_bucket, context.model.slack, shared, search.cancel, keep_limit);
    explore_in_parallel(context, policies, stats);
    if (search.harvest) {
        search.harvest->complete = std::all_of(policies.begin(), policies.end(), [](const CountPolicy& p) { return p.kept_all(); });
        search.harvest->sets.clear();
        for (CountPolicy& p : policies) search.harvest->sets.push_back(std::move(p.kept()));
    }

    std::vector<std::uint64_t> counts(range.buckets(), 0);
    std::ptrdiff_t crowded = -1;
    for (const CountPolicy& p : policies) {
        for (std::size_t b = 0; b < range.buckets(); ++b) counts[b] += p.tallies()[b].count;
        crowded = std::max(crowded, p.crowded());
    }
    CountResult result;
    std::uint64_t above = range.above;
    std::size_t b = range.buckets();
    while (b > 0 && above + counts[b - 1] < n) above += counts[--b];
    result.total = above;
    if (b == 0) {
        if (search.harvest) *search.harvest = Harvest{};
        return result;
    }
    --b;
    result.enough = true;
    result.low_key = range.edge_key(b);
    result.high_key = range.edge_key(b + 1);
    result.above = above;
    result.complete = crowded < static_cast<std::ptrdiff_t>(b);
    result.count = counts[b];
    std::vector<std::pair<double, std::uint64_t>> scores;
    bool described = true;
    for (const CountPolicy& p : policies) {
        const BucketTally& tally = p.tallies()[b];
        result.lowest = std::min(result.lowest, tally.lowest);
        result.highest = std::max(result.highest, tally.highest);
        const auto known = tally.scores();
        if (known) scores.insert(scores.end(), known->begin(), known->end());
        else described = false;
    }
    for (const CountPolicy& p : policies) {
        const BucketTally& tally = p.tallies()[b];
        if (tally.lowest == result.lowest) result.at_lowest += tally.at_lowest;
        if (tally.highest == result.highest) result.at_highest += tally.at_highest;
    }
    if (search.harvest && !result.complete) search.harvest->complete = false;
    if (described && result.complete) {
        std::sort(scores.begin(), scores.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
        result.scores.emplace();
        for (const auto& score : scores) {
            if (!result.scores->empty() && result.scores->back().first == score.first) result.scores->back().second += score.second;
            else result.scores->push_back(score);
        }
    }
    return result;
}

// A lower bound of every set's score: each part at its least linear value, each skill at its worst
// level; less a margin for rounding. -inf when the scores are not all finite.
double lowest_score(const Model& model, const SkillCurves& curves) {
    double lowest = 0.0;
    for (std::size_t d = 0; d < kPartCount; ++d) {
        double least = kInfinity;
        for (const FlatPiece& piece : model.pieces[d]) least = std::min(least, piece.linear);
        lowest += least;
    }
    for (SkillId s = 0; s < model.reach[0].size(); ++s) {
        const long long reach = model.reach[0][s], cap = curves.last_weighted(s);
        double worst = std::min(curves.value(s, 0), curves.value(s, reach));
        for (long long level : {cap, cap + 1})
            if (level > 0 && level < reach) worst = std::min(worst, curves.value(s, level));
        lowest += worst;
    }
    lowest -= model.slack + 1e-9 * std::fabs(lowest) + 1.0;
    return std::isfinite(lowest) ? lowest : -kInfinity;
}

struct NthScore {
    double score;
    std::uint64_t above;  // passing sets scoring strictly more
};

// The N-th best from a heap of the best n: for small n, or scores the ranges cannot handle.
std::optional<NthScore> nth_by_heap(const Context& context, std::size_t n, const NthSearch& search, SearchStats& stats) {
    SharedThreshold shared;
    std::vector<TopNPolicy> policies;
    for (unsigned t = 0; t < search.threads; ++t)
        policies.emplace_back(n, 0.0, context.model.slack, shared, search.cancel);
    explore_in_parallel(context, policies, stats);
    TopN merged(n);
    for (const TopNPolicy& p : policies) merged.merge(p.top());
    const std::vector<Ranked> best = merged.sorted();
    if (best.size() < n) return std::nullopt;
    const double nth = best.back().score;
    return NthScore{nth, static_cast<std::uint64_t>(
                             std::count_if(best.begin(), best.end(), [&](const Ranked& r) { return r.score > nth; }))};
}

// Narrows a CountResult that holds the N-th best score down to that score.
NthScore settle(const Context& context, CountResult found, const NthSearch& search, SearchStats& stats) {
    const std::uint64_t n = search.n;
    for (;;) {
        if (found.high_key - found.low_key == 1 || (search.cancel && search.cancel->load()))
            return NthScore{from_ordered_key(found.low_key), found.above};
        if (!found.complete) {
            const CountRange next(found.low_key, found.high_key, search.tuning.later_buckets, found.above);
            found = count_pass(context, next, search, stats);
            continue;
        }
        // The bucket's scores, or its extremes, often settle it without another pass.
        if (found.scores) {
            std::uint64_t above = found.above;
            for (const auto& [score, count] : *found.scores) {
                if (above + count >= n) return NthScore{score, above};
                above += count;
            }
        }
        if (found.above + found.at_highest >= n) return NthScore{found.highest, found.above};
        const std::uint64_t above_lowest = found.above + found.count - found.at_lowest;
        if (above_lowest < n) return NthScore{found.lowest, above_lowest};
        const CountRange next(ordered_key(found.lowest), ordered_key(found.highest), search.tuning.later_buckets,
                              found.above + found.at_highest);
        found = count_pass(context, next, search, stats);
    }
}

// The N-th best with the range's low end first `reach` below the best, lowered until it holds n sets.
std::optional<NthScore> nth_in_range(const Context& context, const NthSearch& search, double top, double lowest,
                                     double reach, SearchStats& stats) {
    reach = std::max(reach, 1e-6 * (top - lowest));
    std::uint64_t range_high = ordered_key(top) + 1, above = 0;
    for (double step = 1.1;; step *= step) {
        const double low = std::max(lowest, top - reach);
        const CountRange range(ordered_key(low), range_high, search.tuning.first_buckets, above);
        const CountResult found = count_pass(context, range, search, stats);
        if (found.enough) {
            NthSearch narrower = search;
            narrower.harvest = nullptr;
            return settle(context, found, narrower, stats);
        }
        if (search.cancel && search.cancel->load()) return std::nullopt;
        if (low == lowest) {
            if (lowest == -kInfinity) return std::nullopt;
            lowest = -kInfinity;  // the bound is meant to be safe; this makes sure
        }
        above = found.total;
        range_high = ordered_key(low);
        reach *= step;
    }
}

// The N-th best score, given the best (finite) and a lower bound of all scores. A counting pass costs
// about what enumerating the sets at or above its low end costs, so that end had better be just
// below the N-th best: it is extrapolated from the best scores of ranks n/16, n/256, ..., found the
// same way from a heap's small rank up, and lowered step by step until the range holds n sets.
std::optional<NthScore> nth_below(const Context& context, const NthSearch& search, double top, double lowest,
                                  SearchStats& stats) {
    std::vector<std::size_t> ranks{search.n};
    while (ranks.back() > std::max<std::size_t>(1, search.tuning.heap_up_to)) ranks.push_back(std::max<std::size_t>(1, ranks.back() / 16));
    NthSearch level = search;
    level.n = ranks.back();
    level.harvest = nullptr;
    std::optional<NthScore> found = nth_by_heap(context, level.n, level, stats);
    // From rank k to rank 16k the distance from the best grew by 1.6 and less on the real catalogue,
    // the factor shrinking slowly with k: the last factor, a little less, is the guess for the next.
    double distance = 0.0, growth = 1.6;
    for (std::size_t r = ranks.size() - 1; r-- > 0 && found;) {
        const double previous = distance;
        distance = top - found->score;
        if (previous > 0 && distance > previous) growth = std::max(1.05, 0.92 * distance / previous);
        level.n = ranks[r];
        if (r == 0) level.harvest = search.harvest;
        found = nth_in_range(context, level, top, lowest, growth * distance, stats);
    }
    return found;
}

// The N-th best score of the model's passing sets, and how many score above it; empty when fewer than
// n pass. Memory independent of n: counting passes over ever narrower score ranges, each with a
// histogram, until the range holding the N-th holds one score.
std::optional<NthScore> nth_best_score(const Context& context, const NthSearch& search, SearchStats& stats) {
    const std::optional<NthScore> best = nth_by_heap(context, 1, search, stats);
    if (!best) return std::nullopt;
    // Infinite scores (from absurd weights) defeat the ranges; a heap of n still works.
    if (!std::isfinite(best->score)) return nth_by_heap(context, search.n, search, stats);
    const double lowest = std::min(lowest_score(context.model, context.curves), best->score);
    return nth_below(context, search, best->score, lowest, stats);
}

// The top N once its last score `nth` is known: every set above it, and of the ties at it those of
// lowest key, of which no more than twice the number wanted are held. The sets above go straight
// into `above`, sized for them by the count, so a million results are held once.
class CollectPolicy {
public:
    static constexpr bool kBestFirst = true;
    CollectPolicy(double nth, std::uint64_t ties_wanted, std::vector<Ranked>& above, std::atomic<std::size_t>& filled,
                  double slack, const std::atomic<bool>* cancel)
        : nth_(nth), ties_wanted_(ties_wanted), above_(&above), filled_(&filled), slack_(slack), cancel_(cancel) {}

    bool stopped() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
    double floor() const { return nth_ - slack_; }
    void leaf(const PartialSet& set, std::uint32_t index, double score) {
        if (score > nth_) {
            const std::size_t slot = filled_->fetch_add(1, std::memory_order_relaxed);
            if (slot >= above_->size()) throw std::logic_error("more sets above the N-th best score than counted");
            (*above_)[slot] = {score, set.leaf_key(index)};
        } else if (score == nth_) {
            ties_.push_back({score, set.leaf_key(index)});
            if (ties_.size() >= 2 * ties_wanted_ + 1024) keep_lowest_ties();
        }
    }
    void leaves_done(const PartialSet&) {}

    void keep_lowest_ties() {
        if (ties_.size() <= ties_wanted_) return;
        const auto middle = ties_.begin() + static_cast<std::ptrdiff_t>(ties_wanted_);
        std::nth_element(ties_.begin(), middle, ties_.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
        ties_.erase(middle, ties_.end());
    }
    std::vector<Ranked>& ties() { return ties_; }

private:
    double nth_;
    std::uint64_t ties_wanted_;
    std::vector<Ranked>* above_;
    std::atomic<std::size_t>* filled_;
    double slack_;
    const std::atomic<bool>* cancel_;
    std::vector<Ranked> ties_;
};

// The model branch_and_bound_top_n searches: dominance for the top `limit`, pieces best alone first.
Model best_first_model(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       const SkillCurves& curves, std::size_t limit, SearchStats& stats) {
    ModelOptions options;
    options.dominance_limit = limit;
    return build_model(catalogue, scorer, filters, curves, options, stats);
}

std::vector<Ranked> top_n_search(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                 const ResolvedFilters& filters, double min_improvement, SearchStats* stats_out) {
    SearchStats stats;
    const auto start = Clock::now();
    if (request.limit == 0 || catalogue.combination_count() == 0) {
        if (stats_out) *stats_out = stats;
        return {};
    }
    const SkillCurves curves(catalogue, scorer);
    const Model model = best_first_model(catalogue, scorer, filters, curves, request.limit, stats);
    stats.prepare_seconds = seconds_since(start);
    if (model.impossible) {
        if (stats_out) *stats_out = stats;
        return {};
    }
    const auto search_start = Clock::now();
    const Context context{model, curves, catalogue, scorer};
    SharedThreshold shared;
    std::vector<TopNPolicy> policies;
    for (unsigned t = 0; t < std::max(1u, request.threads); ++t)
        policies.emplace_back(request.limit, min_improvement, model.slack, shared, request.cancel);
    explore_in_parallel(context, policies, stats);
    TopN merged(request.limit);
    for (const TopNPolicy& p : policies) merged.merge(p.top());
    stats.search_seconds = seconds_since(search_start);
    if (stats_out) *stats_out = stats;
    return merged.sorted();
}

// From this many results on, a heap of the best so far costs more than finding the N-th best score
// first by counting and then collecting exactly the sets that reach it.
constexpr std::size_t kCountingFrom = 20000;

// The top N out of the sets a counting pass kept, best first; empty if they do not add up (they
// always should: then the sets are simply enumerated again).
std::optional<std::vector<Ranked>> top_from_harvest(Harvest& harvest, const NthScore& nth, std::size_t limit) {
    std::vector<Ranked> top(nth.above), ties;
    std::size_t filled = 0;
    for (std::vector<Ranked>& sets : harvest.sets) {
        for (const Ranked& r : sets) {
            if (r.score > nth.score) {
                if (filled == top.size()) return std::nullopt;
                top[filled++] = r;
            } else if (r.score == nth.score) {
                ties.push_back(r);
            }
        }
        std::vector<Ranked>().swap(sets);
    }
    if (filled != top.size() || ties.size() < limit - nth.above) return std::nullopt;
    std::sort(ties.begin(), ties.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
    top.insert(top.end(), ties.begin(), ties.begin() + static_cast<std::ptrdiff_t>(limit - nth.above));
    std::sort(top.begin(), top.end(), [](const Ranked& a, const Ranked& b) { return ranks_before(a, b); });
    return top;
}

std::vector<Ranked> counting_search(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                    const ResolvedFilters& filters, const CountingTuning& tuning, SearchStats* stats_out) {
    SearchStats stats;
    const auto start = Clock::now();
    std::vector<Ranked> result;
    const SkillCurves curves(catalogue, scorer);
    const Model model = best_first_model(catalogue, scorer, filters, curves, request.limit, stats);
    stats.prepare_seconds = seconds_since(start);
    const auto search_start = Clock::now();
    const unsigned threads = std::max(1u, request.threads);
    const Context context{model, curves, catalogue, scorer};
    if (request.limit > 0 && catalogue.combination_count() > 0 && !model.impossible) {
        Harvest harvest;
        const NthSearch search{request.limit, threads, request.cancel, tuning, &harvest};
        std::optional<NthScore> nth = nth_best_score(context, search, stats);
        if (nth && harvest.complete) {
            if (std::optional<std::vector<Ranked>> top = top_from_harvest(harvest, *nth, request.limit)) {
                stats.search_seconds = seconds_since(search_start);
                if (stats_out) *stats_out = stats;
                return *std::move(top);
            }
        }
        harvest = Harvest{};
        if (!nth) {
            // Fewer passing sets than asked: all of them, which the count gives.
            const CountRange everything(ordered_key(-kInfinity), ordered_key(kInfinity) + 1, 2, 0);
            nth = NthScore{-kInfinity, count_pass(context, everything, search, stats).total};
        }
        const std::uint64_t ties_wanted = nth->score == -kInfinity ? request.limit : request.limit - nth->above;
        result.resize(nth->above);
        std::atomic<std::size_t> filled{0};
        std::vector<CollectPolicy> policies;
        for (unsigned t = 0; t < threads; ++t)
            policies.emplace_back(nth->score, ties_wanted, result, filled, model.slack, request.cancel);
        explore_in_parallel(context, policies, stats);
        result.resize(filled.load());  // fewer only when cancelled
        std::vector<Ranked> ties;
        for (CollectPolicy& p : policies) {
            p.keep_lowest_ties();
            ties.insert(ties.end(), p.ties().begin(), p.ties().end());
        }
        std::sort(ties.begin(), ties.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
        if (ties.size() > ties_wanted) ties.resize(ties_wanted);
        result.insert(result.end(), ties.begin(), ties.end());
        std::sort(result.begin(), result.end(), [](const Ranked& a, const Ranked& b) { return ranks_before(a, b); });
    }
    stats.search_seconds = seconds_since(search_start);
    if (stats_out) *stats_out = stats;
    return result;
}

// Streams, in key order, the sets whose score is >= min_score (> once `strict` is set) that `last`
// does not exclude. Leaf parents emit their leaves in key order, the model being in key order.
template <typename Emit>
class OrderedPolicy {
public:
    static constexpr bool kBestFirst = false;
    OrderedPolicy(double min_score, const std::optional<Ranked>& last, double slack, const std::atomic<bool>* strict,
                  const std::atomic<bool>* finished, Emit emit)
        : min_score_(min_score), above_min_(std::nextafter(min_score, kInfinity)), last_(last), slack_(slack),
          strict_(strict), finished_(finished), emit_(std::move(emit)) {}

    bool stopped() const { return finished_ && finished_->load(std::memory_order_relaxed); }
    double floor() const { return minimum() - slack_; }
    void leaf(const PartialSet&, std::uint32_t index, double score) {
        if (score >= minimum()) passed_.push_back({score, index});
    }
    void leaves_done(const PartialSet& set) {
        std::sort(passed_.begin(), passed_.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
        for (const Ranked& r : passed_) {
            const CombinationKey key = set.leaf_key(static_cast<std::uint32_t>(r.key));
            if (last_ && r.score == last_->score && key > last_->key) continue;
            emit_(key, r.score);
        }
        passed_.clear();
    }

private:
    double minimum() const { return strict_ && strict_->load(std::memory_order_relaxed) ? above_min_ : min_score_; }

    double min_score_, above_min_;
    std::optional<Ranked> last_;
    double slack_;
    const std::atomic<bool>* strict_;
    const std::atomic<bool>* finished_;
    Emit emit_;
    std::vector<Ranked> passed_;  // of the current leaf parent; key holds the leaf's index
};

template <typename Emit>
OrderedPolicy<Emit> ordered_policy(double min_score, const std::optional<Ranked>& last, double slack,
                                   const std::atomic<bool>* strict, const std::atomic<bool>* finished, Emit emit) {
    return OrderedPolicy<Emit>(min_score, last, slack, strict, finished, std::move(emit));
}

// `strict` (optional) may be set by the sink to ask for scores above min_score only from then on,
// and `finished` to stop.
void stream_ordered(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                    double min_score, const std::optional<Ranked>& last, unsigned threads,
                    const CombinationSink& sink, SearchStats* stats_out, const std::atomic<bool>* strict = nullptr,
                    const std::atomic<bool>* finished = nullptr) {
    SearchStats stats;
    const auto start = Clock::now();
    const SkillCurves curves(catalogue, scorer);
    ModelOptions options;
    options.key_order = true;
    const Model model = build_model(catalogue, scorer, filters, curves, options, stats);
    stats.prepare_seconds = seconds_since(start);
    const auto search_start = Clock::now();
    if (model.impossible || catalogue.combination_count() == 0) {
        if (stats_out) *stats_out = stats;
        return;
    }
    const Context context{model, curves, catalogue, scorer};
    threads = std::max(1u, threads);
    if (threads == 1) {
        PartialSet set(context);
        auto policy = ordered_policy(min_score, last, model.slack, strict, finished,
                                     [&](CombinationKey key, double score) { sink(key, score); });
        set.explore_from({}, policy);
        add_counters(stats, set.stats());
        stats.search_seconds = seconds_since(search_start);
        if (stats_out) *stats_out = stats;
        return;
    }

    // Blocks of (head, body) in key order; workers run ahead of the consumer by at most `window`
    // blocks, so memory is bounded by the largest few blocks' results, not by their total.
    std::vector<std::vector<std::uint32_t>> units;
    for (std::uint32_t h = 0; h < model.pieces[0].size(); ++h)
        for (std::uint32_t b = 0; b < model.pieces[1].size(); ++b) units.push_back({h, b});
    // Two blocks a thread: the best blocks of a top ten million hold hundreds of thousands of sets each,
    // and the consumer (a database insert) is the slower side anyway.
    const std::size_t window = 2 * static_cast<std::size_t>(threads);
    struct Slot {
        bool ready = false;
        std::vector<Ranked> rows;
    };
    std::vector<Slot> slots(window);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next_unit = 0, consumed = 0;
    bool stop = false;

    std::vector<PartialSet> sets(threads, PartialSet(context));
    auto work = [&](PartialSet& set) {
        std::vector<Ranked> rows;
        auto policy = ordered_policy(min_score, last, model.slack, strict, finished,
                                     [&](CombinationKey key, double score) { rows.push_back({score, key}); });
        for (;;) {
            std::size_t unit;
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return stop || next_unit >= units.size() || next_unit < consumed + window; });
                if (stop || next_unit >= units.size()) return;
                unit = next_unit++;
            }
            rows.clear();
            set.explore_from(units[unit], policy);
            std::lock_guard<std::mutex> lock(mutex);
            slots[unit % window].rows.swap(rows);
            slots[unit % window].ready = true;
            changed.notify_all();
        }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) workers.emplace_back(work, std::ref(sets[t]));
    auto stop_workers = [&] {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stop = true;
        }
        changed.notify_all();
        for (auto& worker : workers) worker.join();
    };
    try {
        std::vector<Ranked> rows;
        for (std::size_t unit = 0; unit < units.size(); ++unit) {
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return slots[unit % window].ready; });
                rows.swap(slots[unit % window].rows);
                slots[unit % window].ready = false;
                consumed = unit + 1;
            }
            changed.notify_all();
            for (const Ranked& r : rows) sink(r.key, r.score);
            rows.clear();
            if (finished && finished->load()) break;
        }
    } catch (...) {
        stop_workers();
        throw;
    }
    stop_workers();
    for (auto& set : sets) add_counters(stats, set.stats());
    stats.search_seconds = seconds_since(search_start);
    if (stats_out) *stats_out = stats;
}

// A config whose score is one quantity: a skill's level, or the defence.
Config single_objective(const Catalogue& catalogue, std::optional<SkillId> skill) {
    Config config;
    config.deco_weights = {0.0, 0.0, 0.0, 0.0};
    config.num_decos_weight = 0.0;
    config.defence_weight = skill ? 0.0 : 1.0;
    const double uncapped = kInfinity;
    for (SkillId s = 0; s < catalogue.skill_count(); ++s) {
        const double weight = (skill && *skill == s) ? 1.0 : 0.0;
        config.skills.emplace_back(catalogue.skill_name(s), SkillRule{uncapped, weight, weight});
    }
    return config;
}

// The most of the objective over the allowed sets that pass `filters`; empty when none passes.
std::optional<int> best_of(const Catalogue& catalogue, std::optional<SkillId> skill, const ResolvedFilters& filters,
                           unsigned threads) {
    const Scorer scorer(catalogue, single_objective(catalogue, skill));
    SearchRequest request;
    request.limit = 1;
    request.threads = threads;
    // The objective is an integer and which of the best sets is found does not matter: only a gain of
    // a whole unit is worth a look, which spares enumerating the ties.
    const auto best = top_n_search(catalogue, scorer, request, filters, 0.5, nullptr);
    if (best.empty()) return std::nullopt;
    return static_cast<int>(std::lround(best.front().score));
}

int best_alone(const Catalogue& catalogue, std::optional<SkillId> skill, const ResolvedFilters& filters) {
    int total = 0;
    for (Part part : kAllParts) {
        int best = 0;
        const auto& pieces = catalogue.pieces(part);
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            if (!filters.allowed[index_of(part)][i]) continue;
            int value = skill ? 0 : pieces[i].defence;
            if (skill)
                for (const SkillLevel& s : pieces[i].skills)
                    if (s.skill == *skill) value += s.level;
            best = std::max(best, value);
        }
        total += best;
    }
    return total;
}

}  // namespace

std::vector<Ranked> branch_and_bound_top_n(const Catalogue& catalogue, const Scorer& scorer,
                                           const SearchRequest& request, const ResolvedFilters& filters,
                                           SearchStats* stats) {
    if (request.limit >= kCountingFrom) return counting_search(catalogue, scorer, request, filters, CountingTuning{}, stats);
    return top_n_search(catalogue, scorer, request, filters, 0.0, stats);
}

std::vector<Ranked> top_n_by_counting(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                      const ResolvedFilters& filters, const CountingTuning& tuning, SearchStats* stats) {
    return counting_search(catalogue, scorer, request, filters, tuning, stats);
}

void for_each_at_least(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       double min_score, unsigned threads, const CombinationSink& sink, SearchStats* stats) {
    stream_ordered(catalogue, scorer, filters, min_score, std::nullopt, threads, sink, stats);
}

void for_each_in_top_n(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       const Ranked& last, unsigned threads, const CombinationSink& sink, SearchStats* stats) {
    stream_ordered(catalogue, scorer, filters, last.score, last, threads, sink, stats);
}

void for_each_in_top_n(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                       std::size_t n, unsigned threads, const CombinationSink& sink, SearchStats* stats_out,
                       const CountingTuning& tuning) {
    SearchStats stats;
    if (n == 0 || catalogue.combination_count() == 0) {
        if (stats_out) *stats_out = stats;
        return;
    }
    threads = std::max(1u, threads);
    std::optional<NthScore> nth;
    {
        const auto start = Clock::now();
        const SkillCurves curves(catalogue, scorer);
        const Model model = best_first_model(catalogue, scorer, filters, curves, n, stats);
        stats.prepare_seconds = seconds_since(start);
        if (model.impossible) {
            if (stats_out) *stats_out = stats;
            return;
        }
        const auto search_start = Clock::now();
        nth = nth_best_score(Context{model, curves, catalogue, scorer}, NthSearch{n, threads, nullptr, tuning}, stats);
        stats.search_seconds = seconds_since(search_start);
    }
    SearchStats streaming;
    if (!nth) {  // fewer passing sets than asked: all of them
        stream_ordered(catalogue, scorer, filters, -kInfinity, std::nullopt, threads, sink, &streaming);
    } else {
        // Of the ties at the N-th score, the first in key order are in; once they are all out, only
        // higher scores are, and once n sets are out, nothing more.
        std::uint64_t ties_left = n - nth->above, emitted = 0;
        std::atomic<bool> ties_done{false}, finished{false};
        stream_ordered(catalogue, scorer, filters, nth->score, std::nullopt, threads,
                       [&](CombinationKey key, double score) {
                           if (finished.load(std::memory_order_relaxed)) return;
                           if (score == nth->score) {
                               if (ties_left == 0) return;
                               if (--ties_left == 0) ties_done = true;
                           }
                           sink(key, score);
                           if (++emitted == n) finished = true;
                       },
                       &streaming, &ties_done, &finished);
    }
    add_counters(stats, streaming);
    stats.search_seconds += streaming.search_seconds;
    if (stats_out) *stats_out = stats;
}

FilterDiagnosis diagnose_filters(const Catalogue& catalogue, const ResolvedFilters& filters, unsigned threads) {
    FilterDiagnosis diagnosis;
    for (Part part : kAllParts) {
        const auto& allowed = filters.allowed[index_of(part)];
        if (std::find(allowed.begin(), allowed.end(), true) == allowed.end()) diagnosis.empty_parts.push_back(part);
    }
    if (!diagnosis.empty_parts.empty()) return diagnosis;

    struct Goal {
        std::optional<std::size_t> requirement;  // empty: the defence floor
        int required;
    };
    std::vector<Goal> goals;
    for (std::size_t i = 0; i < filters.requirements.size(); ++i)
        if (filters.requirements[i].min_level > 0) goals.push_back({i, filters.requirements[i].min_level});
    if (filters.min_defence > 0) goals.push_back({std::nullopt, filters.min_defence});

    bool first = true;
    for (const Goal& goal : goals) {
        ResolvedFilters others = filters;
        UnmetFilter unmet;
        std::optional<SkillId> skill;
        if (goal.requirement) {
            const auto& r = filters.requirements[*goal.requirement];
            others.requirements.erase(others.requirements.begin() + static_cast<std::ptrdiff_t>(*goal.requirement));
            unmet.skill = r.name;
            skill = r.skill;
        } else {
            others.min_defence = 0;
            unmet.is_defence = true;
        }
        unmet.required = goal.required;
        if (goal.requirement && !skill) {
            // No piece has the skill: its best is 0 wherever the others can be met.
            unmet.best_alone = 0;
            if (best_of(catalogue, std::nullopt, others, threads)) unmet.best_with_others = 0;
        } else {
            unmet.best_alone = best_alone(catalogue, skill, filters);
            unmet.best_with_others = best_of(catalogue, skill, others, threads);
        }
        const bool met = unmet.best_with_others && *unmet.best_with_others >= goal.required;
        // One goal reachable with all the others met is a set meeting every filter.
        if (met && first) return diagnosis;
        first = false;
        if (!met) diagnosis.unmet.push_back(unmet);
    }
    return diagnosis;
}

std::string explain(const FilterDiagnosis& diagnosis) {
    std::string text;
    auto line = [&](const std::string& l) { text += (text.empty() ? "" : "\n") + l; };
    for (Part part : diagnosis.empty_parts)
        line(fmt::format("--exclude and --pin leave no {} piece", part_name(part)));
    for (const UnmetFilter& u : diagnosis.unmet) {
        const std::string what = u.is_defence ? fmt::format("defence {}", u.required)
                                              : fmt::format("{} {}", u.skill, u.required);
        if (u.best_with_others)
            line(fmt::format("no set reaches {}: the best reachable is {} (with the other filters met; {} without them)",
                             what, *u.best_with_others, u.best_alone));
        else
            line(fmt::format("no set reaches {}: the best reachable is {} (and the other filters cannot all be met either)",
                             what, u.best_alone));
    }
    return text;
}

}  // namespace mhwopt
