#include "core/branch_and_bound.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <numeric>
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

struct ModelOptions {
    std::optional<std::size_t> dominance_limit;  // remove pieces with this many dominators; none: keep all
    bool key_order = false;  // parts in key order and pieces by position (for ordered streaming)
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

// A depth-first walk over the model with the running levels of a partial set and its bounds.
class PartialSet {
public:
    PartialSet(const Model& model, const SkillCurves& curves, const Catalogue& catalogue, const Scorer& scorer,
               const ResolvedFilters& filters)
        : model_(model), curves_(curves), catalogue_(catalogue), scorer_(scorer), filters_(filters),
          codec_(catalogue), levels_(catalogue.skill_count(), 0), values_(catalogue.skill_count(), 0.0),
          envelopes_(catalogue.skill_count()) {
        for (SkillId s = 0; s < values_.size(); ++s) values_[s] = curves.value(s, 0);
    }

    SearchStats& stats() { return stats_; }

protected:
    double add(std::size_t depth, std::uint32_t index) {
        const FlatPiece& piece = model_.pieces[depth][index];
        positions_[model_.part_at_depth[depth]] = piece.position;
        defence_ += piece.defence;
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
        defence_ -= piece.defence;
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

    // terms_[depth][i] bounds what piece i of this depth's part can add to the current set together with
    // its share of the skills' gains; returns the sum over the deeper parts of their best such term.
    double compute_child_terms(std::size_t depth) {
        for (SkillId s : model_.reachable[depth])
            envelopes_[s] = gain_envelope(curves_, s, levels_[s], model_.reach[depth][s]);
        auto term = [&](const FlatPiece& piece) {
            double t = piece.linear;
            for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i)
                t += envelopes_[model_.skills[i].skill].at(model_.skills[i].level);
            return t;
        };
        auto& terms = terms_[depth];
        terms.resize(model_.pieces[depth].size());
        for (std::size_t i = 0; i < terms.size(); ++i) terms[i] = term(model_.pieces[depth][i]);
        double rest = 0.0;
        for (std::size_t d = depth + 1; d < kPartCount; ++d) {
            double best = -kInfinity;
            for (const FlatPiece& piece : model_.pieces[d]) best = std::max(best, term(piece));
            rest += best;
        }
        return rest;
    }

    // The exact score of the current set completed with leaf piece `index`, if it passes the filters and
    // its incrementally summed score (`current` + the piece's gain) is not below `floor`.
    std::optional<double> score_leaf(std::uint32_t index, double current, double floor) {
        const FlatPiece& piece = model_.pieces[kLastDepth][index];
        double score = current + piece.linear;
        for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i) {
            const SkillLevel& s = model_.skills[i];
            score += curves_.value(s.skill, levels_[s.skill] + s.level) - values_[s.skill];
        }
        if (score < floor) return std::nullopt;
        if (defence_ + piece.defence < model_.min_defence) return std::nullopt;
        for (const auto& [skill, level] : model_.requirements)
            if (levels_[skill] + level_in(model_, piece, skill) < level) return std::nullopt;
        positions_[model_.part_at_depth[kLastDepth]] = piece.position;
        totals_of(catalogue_, positions_, scratch_);
        if (!filters_.passes(scratch_)) return std::nullopt;
        ++stats_.combinations_scored;
        return scorer_.score(scratch_);
    }

    CombinationKey key() const { return codec_.encode(positions_); }

    const Model& model_;
    const SkillCurves& curves_;
    const Catalogue& catalogue_;
    const Scorer& scorer_;
    const ResolvedFilters& filters_;
    KeyCodec codec_;
    std::vector<int> levels_;
    std::vector<double> values_;  // skill value at the current level
    int defence_ = 0;
    Positions positions_{};
    Totals scratch_;
    std::vector<GainEnvelope> envelopes_;
    std::array<std::vector<double>, kPartCount> terms_;
    std::array<std::vector<std::uint32_t>, kPartCount> order_;
    SearchStats stats_;
};

class TopNExplorer : public PartialSet {
public:
    TopNExplorer(const Model& model, const SkillCurves& curves, const Catalogue& catalogue, const Scorer& scorer,
                 const ResolvedFilters& filters, std::size_t limit, double min_improvement, SharedThreshold& shared,
                 const std::atomic<bool>* cancel)
        : PartialSet(model, curves, catalogue, scorer, filters), top_(limit), min_improvement_(min_improvement),
          shared_(shared), cancel_(cancel) {}

    // The subtree under the pieces `prefix` picks at the first depths.
    void explore_from(const std::vector<std::uint32_t>& prefix) {
        double current = 0.0;
        for (std::size_t d = 0; d < prefix.size(); ++d) current += add(d, prefix[d]);
        explore(prefix.size(), current);
        for (std::size_t d = prefix.size(); d-- > 0;) remove(d, prefix[d]);
    }

    const TopN& top() const { return top_; }

private:
    // A set is worth looking at only if it can rank before the N-th best so far: a score above it
    // or, at equal score, a lower key; so bounds cut only when strictly below (less the slack).
    double floor() const { return std::max(top_.threshold(), shared_.get()) + min_improvement_ - model_.slack; }

    void explore(std::size_t depth, double current) {
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) return;
        if (depth == kLastDepth) {
            score_leaves(current);
            return;
        }
        ++stats_.nodes_visited;
        if (!constraints_reachable(depth)) {
            ++stats_.cut_by_constraint;
            return;
        }
        const double range = range_bound(depth, current);
        if (range < floor()) {
            ++stats_.cut_by_bound;
            return;
        }
        const double rest = compute_child_terms(depth);
        const auto& terms = terms_[depth];
        auto& order = order_[depth];
        order.resize(terms.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return terms[a] > terms[b] || (terms[a] == terms[b] && a < b);
        });
        for (std::uint32_t index : order) {
            if (std::min(range, current + terms[index] + rest) < floor()) {
                ++stats_.cut_by_bound;  // and every later sibling, whose terms are no larger
                break;
            }
            const double next = current + add(depth, index);
            explore(depth + 1, next);
            remove(depth, index);
        }
    }

    void score_leaves(double current) {
        const std::size_t count = model_.pieces[kLastDepth].size();
        double low = floor();
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::optional<double> score = score_leaf(i, current, low);
            if (!score) continue;
            top_.offer({*score, key()});
            if (top_.full()) shared_.raise(top_.threshold());
            low = floor();
        }
    }

    TopN top_;
    double min_improvement_;
    SharedThreshold& shared_;
    const std::atomic<bool>* cancel_;
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

// Bucket i of [low, high) split in `count` is [edge(i), edge(i + 1)); edges are monotone in i, and a
// score's bucket is decided by comparing with them, so successive passes agree on every boundary.
double bucket_edge(double low, double high, std::size_t i, std::size_t count) {
    return i >= count ? high : low + (high - low) * (static_cast<double>(i) / static_cast<double>(count));
}

std::size_t bucket_of(double score, double low, double high, std::size_t count) {
    double guess = std::floor((score - low) / (high - low) * static_cast<double>(count));
    std::size_t i = guess < 0 ? 0 : std::min(count - 1, static_cast<std::size_t>(guess));
    while (i > 0 && score < bucket_edge(low, high, i, count)) --i;
    while (i + 1 < count && score >= bucket_edge(low, high, i + 1, count)) ++i;
    return i;
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
    ModelOptions options;
    options.dominance_limit = request.limit;
    Model model = build_model(catalogue, scorer, filters, curves, options, stats);
    stats.prepare_seconds = seconds_since(start);
    if (model.impossible) {
        if (stats_out) *stats_out = stats;
        return {};
    }
    // The root's own child order makes the units' order: the best-looking prefixes are explored first.
    for (std::size_t d = 0; d < kPartCount; ++d)
        std::stable_sort(model.pieces[d].begin(), model.pieces[d].end(),
                         [](const FlatPiece& a, const FlatPiece& b) { return a.alone > b.alone; });

    const auto search_start = Clock::now();
    const unsigned threads = std::max(1u, request.threads);
    const auto units = prefixes(model, threads);
    SharedThreshold shared;
    std::vector<TopNExplorer> explorers;
    explorers.reserve(threads);
    for (unsigned t = 0; t < threads; ++t)
        explorers.emplace_back(model, curves, catalogue, scorer, filters, request.limit, min_improvement, shared,
                               request.cancel);
    std::atomic<std::size_t> next_unit{0};
    auto work = [&](TopNExplorer& explorer) {
        for (std::size_t u; (u = next_unit.fetch_add(1, std::memory_order_relaxed)) < units.size();)
            explorer.explore_from(units[u]);
    };
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work, std::ref(explorers[t]));
    work(explorers[0]);
    for (auto& worker : workers) worker.join();

    TopN merged(request.limit);
    for (auto& explorer : explorers) {
        merged.merge(explorer.top());
        add_counters(stats, explorer.stats());
    }
    stats.search_seconds = seconds_since(search_start);
    if (stats_out) *stats_out = stats;
    return merged.sorted();
}

// Streams, in key order, the sets whose score is >= min_score and that `keep` accepts.
class OrderedExplorer : public PartialSet {
public:
    OrderedExplorer(const Model& model, const SkillCurves& curves, const Catalogue& catalogue, const Scorer& scorer,
                    const ResolvedFilters& filters, double min_score, const std::optional<Ranked>& last)
        : PartialSet(model, curves, catalogue, scorer, filters), min_score_(min_score), last_(last) {}

    template <typename Emit>
    void explore_from(const std::vector<std::uint32_t>& prefix, const Emit& emit) {
        double current = 0.0;
        for (std::size_t d = 0; d < prefix.size(); ++d) current += add(d, prefix[d]);
        explore(prefix.size(), current, emit);
        for (std::size_t d = prefix.size(); d-- > 0;) remove(d, prefix[d]);
    }

private:
    template <typename Emit>
    void explore(std::size_t depth, double current, const Emit& emit) {
        const double floor = min_score_ - model_.slack;
        if (depth == kLastDepth) {
            for (std::uint32_t i = 0; i < model_.pieces[kLastDepth].size(); ++i) {
                const std::optional<double> score = score_leaf(i, current, floor);
                if (!score || *score < min_score_) continue;
                const CombinationKey k = key();
                if (last_ && *score == last_->score && k > last_->key) continue;
                emit(k, *score);
            }
            return;
        }
        ++stats_.nodes_visited;
        if (!constraints_reachable(depth)) {
            ++stats_.cut_by_constraint;
            return;
        }
        const double range = range_bound(depth, current);
        if (range < floor) {
            ++stats_.cut_by_bound;
            return;
        }
        const double rest = compute_child_terms(depth);
        const auto& terms = terms_[depth];
        for (std::uint32_t index = 0; index < terms.size(); ++index) {
            if (current + terms[index] + rest < floor) {
                ++stats_.cut_by_bound;
                continue;
            }
            const double next = current + add(depth, index);
            explore(depth + 1, next, emit);
            remove(depth, index);
        }
    }

    double min_score_;
    std::optional<Ranked> last_;
};

void stream_ordered(const Catalogue& catalogue, const Scorer& scorer, const ResolvedFilters& filters,
                    double min_score, const std::optional<Ranked>& last, unsigned threads,
                    const CombinationSink& sink, SearchStats* stats_out) {
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
    threads = std::max(1u, threads);
    if (threads == 1) {
        OrderedExplorer explorer(model, curves, catalogue, scorer, filters, min_score, last);
        explorer.explore_from({}, sink);
        add_counters(stats, explorer.stats());
        stats.search_seconds = seconds_since(search_start);
        if (stats_out) *stats_out = stats;
        return;
    }

    // Blocks of (head, body) in key order; workers run ahead of the consumer by at most `window`
    // blocks, so memory is bounded by the largest few blocks' results, not by their total.
    std::vector<std::vector<std::uint32_t>> units;
    for (std::uint32_t h = 0; h < model.pieces[0].size(); ++h)
        for (std::uint32_t b = 0; b < model.pieces[1].size(); ++b) units.push_back({h, b});
    const std::size_t window = 4 * static_cast<std::size_t>(threads);
    struct Slot {
        bool ready = false;
        std::vector<Ranked> rows;
    };
    std::vector<Slot> slots(window);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next_unit = 0, consumed = 0;
    bool stop = false;

    std::vector<OrderedExplorer> explorers;
    explorers.reserve(threads);
    for (unsigned t = 0; t < threads; ++t)
        explorers.emplace_back(model, curves, catalogue, scorer, filters, min_score, last);
    auto work = [&](OrderedExplorer& explorer) {
        std::vector<Ranked> rows;
        for (;;) {
            std::size_t unit;
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return stop || next_unit >= units.size() || next_unit < consumed + window; });
                if (stop || next_unit >= units.size()) return;
                unit = next_unit++;
            }
            rows.clear();
            explorer.explore_from(units[unit], [&](CombinationKey key, double score) { rows.push_back({score, key}); });
            std::lock_guard<std::mutex> lock(mutex);
            slots[unit % window].rows.swap(rows);
            slots[unit % window].ready = true;
            changed.notify_all();
        }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) workers.emplace_back(work, std::ref(explorers[t]));
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
        }
    } catch (...) {
        stop_workers();
        throw;
    }
    stop_workers();
    for (auto& explorer : explorers) add_counters(stats, explorer.stats());
    stats.search_seconds = seconds_since(search_start);
    if (stats_out) *stats_out = stats;
}

struct CountCapReached {};

// How many passing sets score >= min_score, stopping (and returning cap + 1) past `cap`; when
// `histogram` is given, also counts the scores in [min_score, below) into its equal-width buckets.
std::uint64_t count_at_least(const Model& model, const SkillCurves& curves, const Catalogue& catalogue,
                             const Scorer& scorer, const ResolvedFilters& filters, double min_score,
                             std::uint64_t cap, double below, std::vector<std::uint64_t>* histogram,
                             SearchStats& stats) {
    OrderedExplorer explorer(model, curves, catalogue, scorer, filters, min_score, std::nullopt);
    std::uint64_t count = 0;
    const std::size_t buckets = histogram ? histogram->size() : 0;
    try {
        explorer.explore_from({}, [&](CombinationKey, double score) {
            if (++count > cap) throw CountCapReached{};
            if (buckets == 0 || score >= below) return;
            histogram->at(bucket_of(score, min_score, below, buckets))++;
        });
    } catch (const CountCapReached&) {
    }
    add_counters(stats, explorer.stats());
    return count;
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
    return top_n_search(catalogue, scorer, request, filters, 0.0, stats);
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
                       std::size_t n, unsigned threads, const CombinationSink& sink, SearchStats* stats_out) {
    SearchStats stats;
    if (n == 0 || catalogue.combination_count() == 0) return;
    SearchRequest request;
    request.limit = 1;
    request.threads = threads;
    const std::vector<Ranked> best = branch_and_bound_top_n(catalogue, scorer, request, filters);
    if (best.empty()) return;
    const SkillCurves curves(catalogue, scorer);
    ModelOptions options;
    options.key_order = true;
    const Model model = build_model(catalogue, scorer, filters, curves, options, stats);
    auto count = [&](double min_score, std::uint64_t cap) {
        return count_at_least(model, curves, catalogue, scorer, filters, min_score, cap, 0.0, nullptr, stats);
    };

    // Bracket the N-th best score s: count(>= high) < n <= count(>= low), with count(>= low) at most
    // a few n so that each histogram pass stays cheap.
    double high = std::nextafter(best.front().score, kInfinity);
    double low = -kInfinity;
    const std::uint64_t roomy = 4 * static_cast<std::uint64_t>(n);
    double step = std::max(1e-3, std::fabs(best.front().score) * 1e-3);
    for (double probe = best.front().score; std::isfinite(probe); step *= 4) {
        probe = best.front().score - step;
        if (step > 1e300) break;
        if (count(probe, n) >= n) {
            low = probe;
            break;
        }
        high = probe;
    }
    if (low == -kInfinity && count(low, n) < n) {  // fewer passing sets than asked: all of them
        stream_ordered(catalogue, scorer, filters, low, std::nullopt, threads, sink, nullptr);
        if (stats_out) *stats_out = stats;
        return;
    }
    while (std::isfinite(low) && count(low, roomy) > roomy) {
        const double middle = low + (high - low) / 2;
        if (middle <= low || middle >= high) break;
        if (count(middle, n) >= n) low = middle;
        else high = middle;
    }
    std::uint64_t above = count(high, n);  // < n
    constexpr std::size_t kBuckets = 1 << 16;
    std::vector<std::uint64_t> histogram(kBuckets);
    while (std::isfinite(low) && std::nextafter(low, kInfinity) < high) {
        std::fill(histogram.begin(), histogram.end(), 0);
        count_at_least(model, curves, catalogue, scorer, filters, low, UINT64_MAX, high, &histogram, stats);
        std::size_t b = kBuckets;
        std::uint64_t cumulative = above;
        while (b > 0 && cumulative + histogram[b - 1] < n) cumulative += histogram[--b];
        --b;  // the bucket holding the N-th
        const double new_low = bucket_edge(low, high, b, kBuckets);
        const double new_high = bucket_edge(low, high, b + 1, kBuckets);
        above = cumulative;
        if (new_low == low && new_high == high) break;
        low = new_low;
        high = new_high;
    }
    // [low, high) holds the N-th best score and no other, except when low is -inf (everything passes)
    // or the bracket is too fine to split, where the exact score is taken from the sets themselves.
    double nth = low;
    if (!std::isfinite(low) || std::nextafter(low, kInfinity) < high) {
        std::vector<double> scores;
        for_each_at_least(catalogue, scorer, filters, low, 1, [&](CombinationKey, double score) {
            if (score < high) scores.push_back(score);
        });
        std::sort(scores.begin(), scores.end(), std::greater<double>());
        nth = scores.at(n - above - 1);
        above = 0;
        for_each_at_least(catalogue, scorer, filters, std::nextafter(nth, kInfinity), 1,
                          [&](CombinationKey, double) { ++above; });
    } else {
        above = count(std::nextafter(nth, kInfinity), n);
    }
    std::uint64_t ties_left = n - above;
    stream_ordered(catalogue, scorer, filters, nth, std::nullopt, threads,
                   [&](CombinationKey key, double score) {
                       if (score == nth) {
                           if (ties_left == 0) return;
                           --ties_left;
                       }
                       sink(key, score);
                   },
                   nullptr);
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
