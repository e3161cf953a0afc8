// Building the search model: flattening pieces, removing dominated ones, ordering the parts and
// computing what each depth can still add (reach) and the pieces' static terms.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "core/search/dominance.hpp"
#include "core/search/model.hpp"

namespace mhwopt::engine {

namespace {

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

// The step of which every value the search adds is a multiple, with no sum ever rounding; 0 when
// there is none (weights like 0.1, or magnitudes near 2^53). A weight matters only when some set can
// bring it into play, so a weight no piece reaches does not spoil exactness.
double exact_step(const Scorer& scorer, const std::array<std::vector<FlatPiece>, kPartCount>& by_part,
                  const std::vector<SkillLevel>& skills, std::size_t skill_count) {
    std::vector<double> relevant;
    const Config& config = scorer.config();
    std::array<bool, kSlotLevels> slot_used{};
    bool defence_used = false;
    double magnitude = 0.0;
    std::vector<long long> level_reach(skill_count, 0);  // the largest |total level| of each skill
    for (const auto& pieces : by_part) {
        double largest = 0.0;
        std::vector<int> part_max(skill_count, 0);
        for (const FlatPiece& piece : pieces) {
            for (std::size_t l = 0; l < kSlotLevels; ++l) slot_used[l] = slot_used[l] || piece.slots[l] != 0;
            defence_used = defence_used || piece.defence != 0;
            largest = std::max(largest, std::fabs(piece.linear));
            for (std::uint32_t k = piece.skill_begin; k < piece.skill_end; ++k)
                part_max[skills[k].skill] = std::max(part_max[skills[k].skill], std::abs(skills[k].level));
        }
        magnitude += largest;
        for (std::size_t s = 0; s < skill_count; ++s) level_reach[s] += part_max[s];
    }
    bool any_slot = false;
    for (std::size_t l = 0; l < kSlotLevels; ++l) {
        if (slot_used[l]) relevant.push_back(config.deco_weights[l]);
        any_slot = any_slot || slot_used[l];
    }
    if (any_slot) relevant.push_back(config.num_decos_weight);
    if (defence_used) relevant.push_back(config.defence_weight);
    for (SkillId s = 0; s < skill_count; ++s) {
        const long long reach = level_reach[s];
        if (reach == 0) continue;
        const SkillRule& rule = scorer.rule(s);
        const bool weight_used = !(rule.max < static_cast<double>(-reach));  // some level is not above the cap
        const bool penalty_used = !(rule.max >= static_cast<double>(reach));  // some level is above it
        if (weight_used) relevant.push_back(rule.weight);
        if (penalty_used) relevant.push_back(rule.penalty);
        double largest = 0.0;
        if (weight_used) largest = std::max(largest, std::fabs(rule.weight));
        if (penalty_used) largest = std::max(largest, std::fabs(rule.penalty));
        magnitude += static_cast<double>(reach) * largest;
    }
    int exponent = 0;  // the step is 2^-exponent
    for (double w : relevant) {
        if (!std::isfinite(w)) return 0.0;
        int k = 0;
        while (k <= 40 && std::floor(std::ldexp(w, k)) != std::ldexp(w, k)) ++k;
        if (k > 40) return 0.0;
        exponent = std::max(exponent, k);
    }
    // Every partial sum, product and bound is at most a few times the magnitude; 2^50 steps leave room.
    if (!(std::ldexp(magnitude, exponent) * 8 < std::ldexp(1.0, 50))) return 0.0;
    return std::ldexp(1.0, -exponent);
}

// Model::needs_linear, filled from the leaves up: each state takes the best piece of its depth with
// what the deeper parts can add at the need left after that piece. Summed in the order linear_reach
// is (a piece's value plus the deeper parts'), so the same slack covers its rounding.
void add_needs_linear(Model& model) {
    // A need is at least 0, which forgets a surplus: exact only while no piece can take a level
    // back. (A skill of negative levels is left to `reach`.)
    std::vector<bool> taken_back(model.reach[0].size(), false);
    for (const auto& pieces : model.pieces)
        for (const FlatPiece& piece : pieces)
            for (std::uint32_t k = piece.skill_begin; k < piece.skill_end; ++k)
                if (model.skills[k].level < 0) taken_back[model.skills[k].skill] = true;
    std::size_t states = 1;
    for (const auto& [skill, level] : model.requirements) {
        const std::size_t radix = static_cast<std::size_t>(level) + 1;
        if (taken_back[skill] || states * radix > kMaxNeedStates) continue;
        model.need_skills.emplace_back(skill, level);
        model.need_stride.push_back(states);
        states *= radix;
    }
    if (model.need_skills.empty()) return;
    const std::size_t count = model.need_skills.size();
    std::vector<int> need(count);
    model.needs_linear[kPartCount].assign(states, -kInfinity);
    model.needs_linear[kPartCount][0] = 0.0;
    for (std::size_t d = kPartCount; d-- > 0;) {
        auto& here = model.needs_linear[d];
        const auto& deeper = model.needs_linear[d + 1];
        here.assign(states, -kInfinity);
        for (const FlatPiece& piece : model.pieces[d]) {
            std::vector<int> levels(count);
            for (std::size_t r = 0; r < count; ++r) levels[r] = level_in(model, piece, model.need_skills[r].first);
            for (std::size_t n = 0; n < states; ++n) {
                std::size_t after = 0;
                for (std::size_t r = 0; r < count; ++r) {
                    const int required = model.need_skills[r].second;
                    const int needed = static_cast<int>(n / model.need_stride[r] % (static_cast<std::size_t>(required) + 1));
                    after += static_cast<std::size_t>(std::clamp(needed - levels[r], 0, required)) * model.need_stride[r];
                }
                if (deeper[after] == -kInfinity) continue;
                here[n] = std::max(here[n], piece.linear + deeper[after]);
            }
        }
    }
}

}  // namespace

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

    model.exact_step = exact_step(scorer, by_part, model.skills, skill_count);
    if (model.exact_step > 0) model.slack = 0.0;
    if (options.dominance_limit) remove_dominated(model, curves, *options.dominance_limit, part_max, total_max, by_part, stats);

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
    const KeyCodec codec(catalogue);
    for (std::size_t d = kPartCount; d-- > 0;) {
        Positions unit{};
        unit[model.part_at_depth[d]] = 1;
        model.stride[d] = codec.encode(unit);
        std::uint32_t least = std::numeric_limits<std::uint32_t>::max();
        for (const FlatPiece& piece : model.pieces[d]) least = std::min(least, piece.position);
        model.min_key_from[d] = model.min_key_from[d + 1] + least * model.stride[d];
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
    add_needs_linear(model);
    return model;
}

}  // namespace mhwopt::engine
