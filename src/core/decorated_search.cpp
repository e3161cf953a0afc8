#include "core/decorated_search.hpp"
#include "core/worker_threads.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>

#include <fmt/format.h>

namespace mhwopt {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

bool defence_ok(const DecoratedProblem& problem, const Totals& raw) { return raw.defence >= problem.filters.min_defence; }

void offer_max(std::atomic<double>& shared, double value) {
    double seen = shared.load(std::memory_order_relaxed);
    while (value > seen && !shared.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {}
}

}  // namespace

Placement placement_of(const DecoratedProblem& problem, const Positions& positions) {
    PlacementSolver solver(problem.model);
    Totals raw;
    raw_totals_of(problem.catalogue, positions, problem.weapon, raw);
    Placement placement;
    solver.solve(raw, &placement);
    return placement;
}

std::vector<Ranked> decorated_exhaustive_top_n(const DecoratedProblem& problem, const SearchRequest& request) {
    const Catalogue& catalogue = problem.catalogue;
    if (catalogue.combination_count() == 0 || request.limit == 0) return {};
    const KeyCodec codec(catalogue);
    const std::uint32_t heads = codec.part_size(Part::Head), bodies = codec.part_size(Part::Body);
    const std::uint64_t prefixes = std::uint64_t{heads} * bodies;
    const std::uint64_t per_prefix = catalogue.combination_count() / prefixes;
    const unsigned thread_count = std::max(1u, std::min<unsigned>(request.threads, static_cast<unsigned>(std::min<std::uint64_t>(prefixes, 1024))));
    std::atomic<std::uint64_t> next{0};
    std::vector<TopN> tops(thread_count, TopN(request.limit));
    auto work = [&](unsigned t) {
        PlacementSolver solver(problem.model, request.cancel);
        Totals raw;
        for (;;) {
            if (request.cancel && request.cancel->load(std::memory_order_relaxed)) return;
            const std::uint64_t prefix = next.fetch_add(1, std::memory_order_relaxed);
            if (prefix >= prefixes) return;
            Positions p{static_cast<std::uint32_t>(prefix / bodies), static_cast<std::uint32_t>(prefix % bodies), 0, 0, 0, 0};
            for (p[2] = 0; p[2] < codec.part_size(Part::Arms); ++p[2])
                for (p[3] = 0; p[3] < codec.part_size(Part::Waist); ++p[3])
                    for (p[4] = 0; p[4] < codec.part_size(Part::Legs); ++p[4])
                        for (p[5] = 0; p[5] < codec.part_size(Part::Charm); ++p[5]) {
                            if (!problem.filters.allows(p)) continue;
                            raw_totals_of(catalogue, p, problem.weapon, raw);
                            if (!defence_ok(problem, raw)) continue;
                            const double score = solver.best_score(raw);
                            if (score == -kInfinity) continue;
                            tops[t].offer({score, codec.encode(p)});
                        }
            if (request.progress) request.progress->fetch_add(per_prefix, std::memory_order_relaxed);
        }
    };
    WorkerThreads threads(1, thread_count - 1, work);
    work(0);
    threads.join();
    TopN merged(request.limit);
    for (const TopN& top : tops) merged.merge(top);
    return merged.sorted();
}

namespace {

// The bound. For a partial set, with L_s the levels its pieces have and y_s what the rest of the set
// (the parts not chosen yet, every decoration and the set bonuses) adds, the final value of skill s is
// at most f_s(L_s + y_s), f_s the better of its two values (secret skill active or not). For any
// multiplier mu_s >= 0,
//   f_s(L_s + y_s) <= h_s(mu_s, L_s) + mu_s·y_s,   h_s(mu, L) = max over 0 <= y <= Y_s of f_s(L + y) - mu·y,
// with Y_s the most the rest can add. The mu·y terms then split by item: each remaining piece counts
// its levels at mu, each slot the better of staying empty and its best decoration at mu, each bonus
// piece its share of the bonus at mu. So one pass per part finds each part's best item for a given
// set of multipliers, and the bound is the least over a few sets (mu_s = min(lambda, steepest slope
// of s) for a handful of lambdas). lambda high is the plain additive bound (every level at its
// steepest value); lambda near a slot's value when empty charges the skills' room left to fill (h)
// and values the slots at what they would earn: that is what makes the bound see caps.
struct DPiece {
    std::uint32_t index = 0;
    int defence = 0;
    int bonus = -1;
    std::array<int, kSlotLevels> slots{};
    std::vector<SkillLevel> skills;           // merged by skill, non-zero
    std::vector<double> lin;                  // by lambda: defence, slots and bonus share
    std::vector<double> value;                // by lambda: lin + its levels at mu
    std::vector<int> requirement_potential;   // per requirement: its level plus its slots' best
    std::vector<double> cover;                // per weight vector of the requirement cover: what it adds
};

struct DModel {
    std::size_t skills = 0;
    std::size_t lambdas = 0;
    std::size_t order = 0;  // the lambda the parts are sorted by
    std::array<std::vector<DPiece>, kPartCount> parts;
    std::vector<std::array<double, kPartCount + 1>> rest;  // [lambda][depth]: Σ best value of the parts from depth on
    std::vector<std::array<double, kPartCount + 1>> base;  // [lambda][depth]: Σ_s h(0) with Y from depth on
    std::vector<double> weapon;                            // [lambda]: the weapon's slots
    std::vector<std::vector<double>> h;                    // [(lambda·(kPartCount+1) + depth)·skills + s][L]
    std::array<int, kPartCount + 1> defence_rest{};
    std::vector<std::array<int, kPartCount + 1>> requirement_rest;
    std::vector<int> requirement_extra;  // weapon slots and set bonuses, per requirement
    // The requirements together (RequirementCover): per weight vector, what they need, what the
    // weapon's slots add, and the most the parts from each depth on add.
    std::vector<double> cover_need, cover_weapon;
    std::vector<std::array<double, kPartCount + 1>> cover_rest;
    double margin = 0.0;
    // Scores are whole multiples of defence and every bound is exact (a defence-only config: every
    // skill, slot and decoration weighs 0, the defence weight is whole): then a subtree whose bound
    // only ties the N-th best and whose keys all come after it adds nothing (ties go by key).
    bool exact = false;
    std::array<std::uint32_t, kPartCount> least_index{};  // by part: the least position kept

    const std::vector<double>& table(std::size_t lambda, std::size_t depth, SkillId s) const {
        return h[(lambda * (kPartCount + 1) + depth) * skills + s];
    }
};

double best_value(const PlacementModel& model, SkillId skill, int level) {
    const double plain = model.value(skill, level, false);
    return model.secret_of(skill) ? std::max(plain, model.value(skill, level, true)) : plain;
}

std::vector<SkillLevel> merged_skills(const Piece& piece) {
    std::vector<SkillLevel> out;
    for (const SkillLevel& s : piece.skills) {
        if (s.level == 0) continue;
        auto it = std::find_if(out.begin(), out.end(), [&](const SkillLevel& x) { return x.skill == s.skill; });
        if (it == out.end()) out.push_back(s);
        else it->level += s.level;
    }
    out.erase(std::remove_if(out.begin(), out.end(), [](const SkillLevel& s) { return s.level == 0; }), out.end());
    std::sort(out.begin(), out.end(), [](const SkillLevel& a, const SkillLevel& b) { return a.skill < b.skill; });
    return out;
}

// Dominance between two pieces of one part (issue 10's model): `a` may replace `b` in every set, the
// same decorations moving to `a`'s slots, and the set then ranks before `b`'s and meets every filter
// it meets. So a piece with `limit` dominators is in no top `limit`.
class Dominance {
public:
    Dominance(const DecoratedProblem& problem, const std::vector<int>& reach, double slack)
        : problem_(problem), reach_(reach), slack_(slack) {
        const PlacementModel& model = problem.model;
        const Config& config = model.scorer().config();
        for (std::size_t l = 0; l < kSlotLevels; ++l) empty_[l] = config.deco_weights[l] + config.num_decos_weight;
        const std::size_t skills = problem.catalogue.skill_count();
        top_level_.assign(skills, 0);
        for (Part part : kAllParts)
            for (const Piece& piece : problem.catalogue.pieces(part))
                for (const SkillLevel& s : merged_skills(piece)) top_level_[s.skill] = std::max(top_level_[s.skill], s.level);
        least_.resize(skills);
        steep_.assign(skills, 0.0);
        secret_swing_.assign(skills, 0.0);
        for (SkillId s = 0; s < skills; ++s) {
            const bool has_secret = model.secret_of(s).has_value();
            const int m = top_level_[s];
            least_[s].assign(static_cast<std::size_t>((m + 1) * (m + 1)), kInfinity);
            for (int state = 0; state <= (has_secret ? 1 : 0); ++state) {
                for (int a = 0; a <= m; ++a)
                    for (int b = 0; b <= m; ++b)
                        for (int c = 0; c <= reach_[s]; ++c) {
                            double& least = least_[s][static_cast<std::size_t>(a * (m + 1) + b)];
                            least = std::min(least, model.value(s, c + a, state != 0) - model.value(s, c + b, state != 0));
                        }
                for (int t = 0; t <= reach_[s]; ++t)
                    steep_[s] = std::max(steep_[s], std::fabs(model.value(s, t + 1, state != 0) - model.value(s, t, state != 0)));
            }
            if (has_secret) {
                double swing = 0.0;
                for (int t = 0; t <= reach_[s] + 1; ++t) swing = std::max(swing, std::fabs(model.value(s, t, true) - model.value(s, t, false)));
                secret_swing_[*model.secret_of(s)] += swing;
            }
        }
        const auto& bonuses = problem.catalogue.game().bonuses;
        bonus_swing_.assign(bonuses.size(), 0.0);
        bonus_touches_requirement_.assign(bonuses.size(), false);
        for (std::size_t k = 0; k < bonuses.size(); ++k)
            for (const SetBonusRule& rule : bonuses[k].rules) {
                bonus_swing_[k] += steep_[rule.skill] + secret_swing_[rule.skill];
                for (const auto& r : model.requirements()) {
                    if (!r.skill || r.min_level <= 0) continue;
                    const auto secret = model.secret_of(*r.skill);
                    if (rule.skill == *r.skill || (secret && rule.skill == *secret)) bonus_touches_requirement_[k] = true;
                }
            }
    }

    bool dominates(const DPiece& a, const DPiece& b) const {
        const ResolvedFilters& filters = problem_.filters;
        if (filters.min_defence > 0 && a.defence < b.defence) return false;
        for (const auto& r : problem_.model.requirements()) {
            if (!r.skill || r.min_level <= 0) continue;
            if (level_in(a, *r.skill) < level_in(b, *r.skill)) return false;
        }
        const bool same_bonus = a.bonus == b.bonus;
        if (!same_bonus && ((a.bonus >= 0 && bonus_touches_requirement_[a.bonus]) || (b.bonus >= 0 && bonus_touches_requirement_[b.bonus])))
            return false;
        const double slots = slot_margin(a.slots, b.slots);
        if (slots == -kInfinity) return false;
        if (same_bonus && a.defence == b.defence && a.slots == b.slots && same_skills(a, b)) return a.index < b.index;
        double least = slots + (a.defence - b.defence) * problem_.model.scorer().config().defence_weight;
        if (!same_bonus) least -= (a.bonus >= 0 ? bonus_swing_[a.bonus] : 0.0) + (b.bonus >= 0 ? bonus_swing_[b.bonus] : 0.0);
        std::size_t i = 0, j = 0;
        while (i < a.skills.size() || j < b.skills.size()) {
            SkillId s;
            int la = 0, lb = 0;
            if (j == b.skills.size() || (i < a.skills.size() && a.skills[i].skill < b.skills[j].skill)) {
                s = a.skills[i].skill;
                la = a.skills[i++].level;
            } else if (i == a.skills.size() || b.skills[j].skill < a.skills[i].skill) {
                s = b.skills[j].skill;
                lb = b.skills[j++].level;
            } else {
                s = a.skills[i].skill;
                la = a.skills[i++].level;
                lb = b.skills[j++].level;
            }
            const int m = top_level_[s];
            least += least_[s][static_cast<std::size_t>(la * (m + 1) + lb)];
            // A secret skill on a piece: one set may have it active and the other not.
            if (la != lb) least -= secret_swing_[s];
            if (least == -kInfinity) return false;
        }
        // Different totals may round to equal or swapped doubles: demand a margin beyond rounding.
        return least > slack_;
    }

private:
    static int level_in(const DPiece& p, SkillId skill) {
        for (const SkillLevel& s : p.skills)
            if (s.skill == skill) return s.level;
        return 0;
    }
    static bool same_skills(const DPiece& a, const DPiece& b) {
        if (a.skills.size() != b.skills.size()) return false;
        for (std::size_t i = 0; i < a.skills.size(); ++i)
            if (a.skills[i].skill != b.skills[i].skill || a.skills[i].level != b.skills[i].level) return false;
        return true;
    }

    // The least `a`'s slots can earn over `b`'s when each of `b`'s decorations moves to a slot of `a`
    // that holds it (an empty slot of `b` maps to an empty one, its other slots stay empty): the best
    // such matching's worst case; -inf when `b`'s slots do not fit into `a`'s.
    double slot_margin(const std::array<int, kSlotLevels>& a, const std::array<int, kSlotLevels>& b) const {
        std::array<int, 8> la{}, lb{};
        int na = 0, nb = 0;
        for (std::size_t l = 0; l < kSlotLevels; ++l) {
            if (na + a[l] > 8 || nb + b[l] > 8) return a == b ? 0.0 : -kInfinity;
            for (int k = 0; k < a[l]; ++k) la[na++] = static_cast<int>(l);
            for (int k = 0; k < b[l]; ++k) lb[nb++] = static_cast<int>(l);
        }
        if (nb > na) return -kInfinity;
        double best = -kInfinity;
        std::function<void(int, unsigned, double)> match = [&](int i, unsigned used, double acc) {
            if (i == nb) {
                for (int j = 0; j < na; ++j)
                    if (!(used >> j & 1u)) acc += empty_[la[j]];
                best = std::max(best, acc);
                return;
            }
            for (int j = 0; j < na; ++j)
                if (!(used >> j & 1u) && la[j] >= lb[i]) match(i + 1, used | 1u << j, acc + std::min(0.0, empty_[la[j]] - empty_[lb[i]]));
        };
        match(0, 0u, 0.0);
        return best;
    }

    const DecoratedProblem& problem_;
    const std::vector<int>& reach_;
    double slack_;
    std::array<double, kSlotLevels> empty_{};
    std::vector<int> top_level_;                  // by skill: the most one piece has
    std::vector<std::vector<double>> least_;      // by skill, [a][b]: least of value(c + a) - value(c + b)
    std::vector<double> steep_;                   // by skill: the most one level changes its value
    std::vector<double> secret_swing_;            // by secret skill: the most its activation changes values
    std::vector<double> bonus_swing_;             // by bonus: the most one piece more or less of it changes
    std::vector<bool> bonus_touches_requirement_;
};

// Each piece's share of the requirements under each weight vector of the cover: its levels of each
// required skill (no more than required: levels beyond are of no help to the others), its slots at
// their best, and its set bonus at its best share per piece (a rule needing n pieces gives one level,
// at most 1/n of it per piece worn).
void cover_pieces(const DecoratedProblem& problem, DModel& m) {
    const RequirementCover& cover = problem.model.cover();
    const std::size_t vectors = cover.empty() ? 0 : cover.vectors();
    const auto& bonuses = problem.catalogue.game().bonuses;
    std::vector<std::vector<double>> share(vectors, std::vector<double>(bonuses.size(), 0.0));
    for (std::size_t v = 0; v < vectors; ++v)
        for (std::size_t k = 0; k < bonuses.size(); ++k)
            for (int n = 1; n <= static_cast<int>(kPartCount); ++n) {
                double total = 0.0;
                for (const SetBonusRule& rule : bonuses[k].rules)
                    if (rule.pieces <= n)
                        for (std::size_t r = 0; r < cover.size(); ++r) total += rule.skill == cover.skill(r) ? cover.weight(v, r) : 0.0;
                share[v][k] = std::max(share[v][k], total / n);
            }
    m.cover_need.assign(vectors, 0.0);
    m.cover_weapon.assign(vectors, 0.0);
    m.cover_rest.assign(vectors, std::array<double, kPartCount + 1>{});
    for (std::size_t v = 0; v < vectors; ++v) {
        for (std::size_t r = 0; r < cover.size(); ++r) m.cover_need[v] += cover.weight(v, r) * cover.level(r);
        for (int level : problem.weapon) m.cover_weapon[v] += cover.slot(v, level);
    }
    for (std::size_t p = 0; p < kPartCount; ++p)
        for (DPiece& piece : m.parts[p]) {
            piece.cover.assign(vectors, 0.0);
            for (std::size_t v = 0; v < vectors; ++v) {
                double sum = piece.bonus >= 0 ? share[v][static_cast<std::size_t>(piece.bonus)] : 0.0;
                for (std::size_t l = 0; l < kSlotLevels; ++l) sum += piece.slots[l] * cover.slot(v, static_cast<int>(l + 1));
                for (const SkillLevel& s : piece.skills)
                    for (std::size_t r = 0; r < cover.size(); ++r)
                        if (s.skill == cover.skill(r)) sum += cover.weight(v, r) * std::min(s.level, cover.level(r));
                piece.cover[v] = sum;
            }
        }
    for (std::size_t v = 0; v < vectors; ++v)
        for (std::size_t d = kPartCount; d-- > 0;) {
            double most = 0.0;
            for (const DPiece& piece : m.parts[d]) most = std::max(most, piece.cover[v]);
            m.cover_rest[v][d] = m.cover_rest[v][d + 1] + most;
        }
}

bool exact_defence_only(const DecoratedProblem& problem, const DModel& m) {
    const Scorer& scorer = problem.model.scorer();
    const Config& config = scorer.config();
    for (double w : config.deco_weights)
        if (w != 0.0) return false;
    if (config.num_decos_weight != 0.0) return false;
    for (SkillId s = 0; s < problem.catalogue.skill_count(); ++s)
        if (scorer.rule(s).weight != 0.0 || scorer.rule(s).penalty != 0.0) return false;
    const double w = config.defence_weight;
    if (std::floor(w) != w || std::fabs(w) > 1e6) return false;
    double defence = 0.0;
    for (const auto& pieces : m.parts) {
        int most = 0;
        for (const DPiece& piece : pieces) most = std::max(most, std::abs(piece.defence));
        defence += most;
    }
    return defence * std::fabs(w) < 1e15;  // every sum of whole numbers below 2^53 is exact
}

DModel build_model(const DecoratedProblem& problem, std::size_t limit, SearchStats* stats) {
    const Catalogue& catalogue = problem.catalogue;
    const PlacementModel& model = problem.model;
    const Config& config = model.scorer().config();
    const std::size_t skills = catalogue.skill_count();
    DModel m;
    m.skills = skills;
    std::array<double, kSlotLevels> empty{};
    for (std::size_t l = 0; l < kSlotLevels; ++l) empty[l] = config.deco_weights[l] + config.num_decos_weight;

    // The allowed pieces, flattened.
    for (Part part : kAllParts) {
        const std::size_t p = index_of(part);
        const auto& pieces = catalogue.pieces(part);
        for (std::uint32_t i = 0; i < pieces.size(); ++i) {
            if (!problem.filters.allowed[p][i]) continue;
            DPiece piece;
            piece.index = i;
            piece.defence = pieces[i].defence;
            piece.bonus = pieces[i].set_bonus;
            piece.slots = pieces[i].slots;
            piece.skills = merged_skills(pieces[i]);
            m.parts[p].push_back(std::move(piece));
        }
    }

    // Reach: the most each part's piece, the decorations (every slot holding the most of the skill
    // one decoration has) and the bonuses add to each skill.
    std::array<std::vector<int>, kPartCount> part_max;
    int total_slots = static_cast<int>(problem.weapon.size());
    for (std::size_t p = 0; p < kPartCount; ++p) {
        part_max[p].assign(skills, 0);
        int most_slots = 0;
        for (const DPiece& piece : m.parts[p]) {
            for (const SkillLevel& s : piece.skills) part_max[p][s.skill] = std::max(part_max[p][s.skill], std::max(0, s.level));
            int n = 0;
            for (int k : piece.slots) n += k;
            most_slots = std::max(most_slots, n);
        }
        total_slots += most_slots;
    }
    std::vector<int> deco_max(skills, 0), bonus_count(skills, 0);
    for (const auto& group : model.groups()) {
        if (group.count <= 0) continue;
        for (const SkillLevel& s : group.skills) deco_max[s.skill] = std::max(deco_max[s.skill], s.level);
    }
    for (const SetBonus& bonus : catalogue.game().bonuses)
        for (const SetBonusRule& rule : bonus.rules) ++bonus_count[rule.skill];
    constexpr int kReachClamp = 1024;
    // reach_from[d][s]: Y_s for the parts from depth d on; level_max[s]: the most the pieces give.
    std::array<std::vector<int>, kPartCount + 1> reach_from;
    reach_from[kPartCount].assign(skills, 0);
    for (SkillId s = 0; s < skills; ++s)
        reach_from[kPartCount][s] = std::min(kReachClamp, deco_max[s] * std::min(total_slots, kReachClamp) + bonus_count[s]);
    for (std::size_t d = kPartCount; d-- > 0;) {
        reach_from[d] = reach_from[d + 1];
        for (SkillId s = 0; s < skills; ++s) reach_from[d][s] = std::min(kReachClamp, reach_from[d][s] + part_max[d][s]);
    }
    std::vector<int> level_max(skills, 0);
    for (SkillId s = 0; s < skills; ++s) level_max[s] = reach_from[0][s] - reach_from[kPartCount][s];

    // f_s on every level a set can reach, and the steepest chord of each.
    std::vector<std::vector<double>> f(skills);
    std::vector<double> steepest(skills, 0.0);
    double magnitude = 0.0;
    for (SkillId s = 0; s < skills; ++s) {
        const int top = reach_from[0][s];
        f[s].resize(static_cast<std::size_t>(top) + 1);
        double largest = 0.0;
        for (int t = 0; t <= top; ++t) {
            f[s][t] = best_value(model, s, t);
            largest = std::max(largest, std::fabs(f[s][t]));
        }
        magnitude += 2 * largest;
        double steep = 0.0;
        for (int u = 0; u <= top; ++u)
            for (int w = u + 1; w <= top; ++w) steep = std::max(steep, (f[s][w] - f[s][u]) / (w - u));
        steepest[s] = steep;
    }

    // The lambdas: zero, every steepest slope and every empty slot's value (capped in number).
    std::vector<double> candidates{0.0};
    for (double x : steepest)
        if (x > 0) candidates.push_back(x);
    for (double x : empty)
        if (x > 0) candidates.push_back(x);
    candidates = spread_multipliers(std::move(candidates), 12);
    const std::size_t lambdas = candidates.size();
    m.lambdas = lambdas;
    std::vector<std::vector<double>> mu(lambdas, std::vector<double>(skills, 0.0));
    std::vector<std::array<double, kSlotLevels>> slot_value(lambdas);
    const auto& bonuses = catalogue.game().bonuses;
    std::vector<std::vector<double>> share(lambdas, std::vector<double>(bonuses.size(), 0.0));
    for (std::size_t x = 0; x < lambdas; ++x) {
        for (SkillId s = 0; s < skills; ++s) mu[x][s] = std::min(candidates[x], steepest[s]);
        for (std::size_t l = 0; l < kSlotLevels; ++l) {
            double best = empty[l];
            for (const auto& group : model.groups()) {
                if (group.count <= 0 || group.size > static_cast<int>(l + 1)) continue;
                double v = 0.0;
                for (const SkillLevel& s : group.skills) v += s.level * mu[x][s.skill];
                best = std::max(best, v);
            }
            slot_value[x][l] = best;
        }
        for (std::size_t k = 0; k < bonuses.size(); ++k) {
            double best = 0.0;
            for (int n = 1; n <= 5; ++n) {
                double total = 0.0;
                for (const SetBonusRule& rule : bonuses[k].rules)
                    if (rule.pieces <= n) total += mu[x][rule.skill];
                best = std::max(best, total / n);
            }
            share[x][k] = best;
        }
    }

    // h tables.
    m.h.resize(lambdas * (kPartCount + 1) * skills);
    for (std::size_t x = 0; x < lambdas; ++x)
        for (std::size_t d = 0; d <= kPartCount; ++d)
            for (SkillId s = 0; s < skills; ++s) {
                std::vector<double>& table = m.h[(x * (kPartCount + 1) + d) * skills + s];
                const int levels = level_max[s] - (reach_from[d][s] - reach_from[kPartCount][s]) ;  // chosen parts' most
                table.resize(static_cast<std::size_t>(std::max(0, levels)) + 1);
                const int y_max = reach_from[d][s];
                for (int L = 0; L < static_cast<int>(table.size()); ++L) {
                    double best = -kInfinity;
                    for (int y = 0; y <= y_max && L + y < static_cast<int>(f[s].size()); ++y) best = std::max(best, f[s][L + y] - mu[x][s] * y);
                    table[L] = best;
                }
            }
    m.base.assign(lambdas, {});
    for (std::size_t x = 0; x < lambdas; ++x)
        for (std::size_t d = 0; d <= kPartCount; ++d) {
            double sum = 0.0;
            for (SkillId s = 0; s < skills; ++s) sum += m.table(x, d, s)[0];
            m.base[x][d] = sum;
        }
    m.weapon.assign(lambdas, 0.0);
    for (std::size_t x = 0; x < lambdas; ++x)
        for (int level : problem.weapon) m.weapon[x] += slot_value[x][level - 1];

    // Requirements: the most a slot adds to each.
    const auto& reqs = model.requirements();
    std::vector<std::array<int, kSlotLevels>> req_slot(reqs.size(), std::array<int, kSlotLevels>{});
    for (std::size_t l = 0; l < kSlotLevels; ++l)
        for (const auto& group : model.groups()) {
            if (group.count <= 0 || group.size > static_cast<int>(l + 1)) continue;
            for (std::size_t r = 0; r < reqs.size(); ++r)
                for (const SkillLevel& s : group.skills)
                    if (reqs[r].skill && s.skill == *reqs[r].skill) req_slot[r][l] = std::max(req_slot[r][l], s.level);
        }
    m.requirement_extra.assign(reqs.size(), 0);
    for (std::size_t r = 0; r < reqs.size(); ++r) {
        for (int level : problem.weapon) m.requirement_extra[r] += req_slot[r][level - 1];
        if (reqs[r].skill) m.requirement_extra[r] += bonus_count[*reqs[r].skill];
    }

    // Dominance, then each piece's values.
    for (std::size_t p = 0; p < kPartCount; ++p) {
        for (DPiece& piece : m.parts[p]) {
            piece.lin.assign(lambdas, 0.0);
            piece.value.assign(lambdas, 0.0);
            for (std::size_t x = 0; x < lambdas; ++x) {
                double lin = piece.defence * config.defence_weight;
                for (std::size_t l = 0; l < kSlotLevels; ++l) lin += piece.slots[l] * slot_value[x][l];
                if (piece.bonus >= 0) lin += share[x][piece.bonus];
                double value = lin;
                for (const SkillLevel& s : piece.skills) value += s.level * mu[x][s.skill];
                piece.lin[x] = lin;
                piece.value[x] = value;
            }
            for (std::size_t r = 0; r < reqs.size(); ++r) {
                int potential = 0;
                for (const SkillLevel& s : piece.skills) potential += reqs[r].skill && s.skill == *reqs[r].skill ? s.level : 0;
                for (std::size_t l = 0; l < kSlotLevels; ++l) potential += piece.slots[l] * req_slot[r][l];
                piece.requirement_potential.push_back(potential);
            }
        }
        double largest = 0.0;
        for (const DPiece& piece : m.parts[p])
            for (double v : piece.value) largest = std::max(largest, std::fabs(v) + std::fabs(piece.defence * config.defence_weight));
        magnitude += largest;
    }
    for (double w : m.weapon) magnitude += std::fabs(w);
    m.margin = 1e-9 * (1.0 + magnitude);

    std::vector<int> reach(skills);
    for (SkillId s = 0; s < skills; ++s) reach[s] = reach_from[0][s];
    const Dominance dominance(problem, reach, m.margin);
    for (std::size_t p = 0; p < kPartCount; ++p) {
        auto& pieces = m.parts[p];
        if (pieces.size() <= limit) continue;
        std::vector<bool> dropped(pieces.size(), false);
        for (std::size_t b = 0; b < pieces.size(); ++b) {
            std::size_t dominators = 0;
            for (std::size_t a = 0; a < pieces.size() && dominators < limit; ++a)
                if (a != b && dominance.dominates(pieces[a], pieces[b])) ++dominators;
            dropped[b] = dominators >= limit;
        }
        std::vector<DPiece> kept;
        for (std::size_t i = 0; i < pieces.size(); ++i)
            if (!dropped[i]) kept.push_back(std::move(pieces[i]));
        if (stats) stats->removed_by_dominance[p] = pieces.size() - kept.size();
        pieces = std::move(kept);
    }

    // The sort lambda: the one giving the least root bound.
    m.rest.assign(lambdas, {});
    for (std::size_t x = 0; x < lambdas; ++x)
        for (std::size_t d = kPartCount; d-- > 0;) {
            double best = -kInfinity;
            for (const DPiece& piece : m.parts[d]) best = std::max(best, piece.value[x]);
            m.rest[x][d] = m.rest[x][d + 1] + best;
        }
    double root = kInfinity;
    for (std::size_t x = 0; x < lambdas; ++x) {
        const double bound = m.base[x][0] + m.weapon[x] + m.rest[x][0];
        if (bound < root) {
            root = bound;
            m.order = x;
        }
    }
    for (auto& pieces : m.parts)
        std::stable_sort(pieces.begin(), pieces.end(), [&](const DPiece& a, const DPiece& b) { return a.value[m.order] > b.value[m.order]; });
    for (std::size_t d = kPartCount; d-- > 0;) {
        int defence = 0;
        for (const DPiece& piece : m.parts[d]) defence = std::max(defence, piece.defence);
        m.defence_rest[d] = m.defence_rest[d + 1] + defence;
    }
    cover_pieces(problem, m);
    m.exact = exact_defence_only(problem, m);
    for (std::size_t p = 0; p < kPartCount; ++p) {
        m.least_index[p] = std::numeric_limits<std::uint32_t>::max();
        for (const DPiece& piece : m.parts[p]) m.least_index[p] = std::min(m.least_index[p], piece.index);
    }
    m.requirement_rest.assign(reqs.size(), std::array<int, kPartCount + 1>{});
    for (std::size_t r = 0; r < reqs.size(); ++r)
        for (std::size_t d = kPartCount; d-- > 0;) {
            int most = 0;
            for (const DPiece& piece : m.parts[d]) most = std::max(most, piece.requirement_potential[r]);
            m.requirement_rest[r][d] = m.requirement_rest[r][d + 1] + most;
        }
    return m;
}

class Explorer {
public:
    Explorer(const DecoratedProblem& problem, const DModel& model, std::size_t limit, std::atomic<double>& shared,
             const std::atomic<bool>* cancel)
        : cancel_(cancel), problem_(problem), m_(model), codec_(problem.catalogue), top_(limit), solver_(problem.model, cancel), shared_(shared),
          levels_(problem.catalogue.skill_count(), 0), touched_count_(problem.catalogue.skill_count(), 0),
          requirement_acc_(problem.model.requirements().size(), 0) {
        for (auto& c : chosen_) c.assign(model.lambdas, 0.0);
        for (auto& c : covered_) c.assign(model.cover_need.size(), 0.0);
    }

    void run_head(std::size_t h) { descend(0, m_.parts[0][h], 0); }

    const TopN& top() const { return top_; }
    std::uint64_t nodes = 0, scored = 0;
    double solve_seconds = 0.0;
    std::uint64_t solver_nodes() const { return solver_.nodes(); }

private:
    double threshold() const {
        return std::max(top_.threshold(), shared_.load(std::memory_order_relaxed)) - m_.margin;
    }

    // The bound with the parts from `depth` on still to choose, by lambda; returns the least, and the
    // sort lambda's in `ordered`.
    double bound(std::size_t depth, double& ordered) const {
        double least = kInfinity;
        for (std::size_t x = 0; x < m_.lambdas; ++x) {
            double sum = m_.base[x][depth] + chosen_[depth][x] + m_.weapon[x] + m_.rest[x][depth];
            for (SkillId s : touched_) {
                const auto& table = m_.table(x, depth, s);
                sum += table[levels_[s]] - table[0];
            }
            if (x == m_.order) ordered = sum;
            least = std::min(least, sum);
        }
        return least;
    }

    bool reachable(std::size_t next_depth, int defence) const {
        if (defence + m_.defence_rest[next_depth] < problem_.filters.min_defence) return false;
        const auto& reqs = problem_.model.requirements();
        for (std::size_t r = 0; r < reqs.size(); ++r)
            if (requirement_acc_[r] + m_.requirement_extra[r] + m_.requirement_rest[r][next_depth] < reqs[r].min_level) return false;
        for (std::size_t v = 0; v < m_.cover_need.size(); ++v)
            if (RequirementCover::short_of(m_.cover_need[v], covered_[next_depth][v] + m_.cover_weapon[v] + m_.cover_rest[v][next_depth])) return false;
        return true;
    }

    void descend(std::size_t depth, const DPiece& piece, int defence) {
        // A head can take long: stop within a node once asked (SIGINT, SIGTERM).
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) return;
        ++nodes;
        positions_[depth] = piece.index;
        std::size_t fresh = 0;
        for (const SkillLevel& s : piece.skills) {
            if (touched_count_[s.skill]++ == 0) {
                touched_.push_back(s.skill);
                ++fresh;
            }
            levels_[s.skill] += s.level;
        }
        for (std::size_t r = 0; r < requirement_acc_.size(); ++r) requirement_acc_[r] += piece.requirement_potential[r];
        for (std::size_t x = 0; x < m_.lambdas; ++x) chosen_[depth + 1][x] = chosen_[depth][x] + piece.lin[x];
        for (std::size_t v = 0; v < piece.cover.size(); ++v) covered_[depth + 1][v] = covered_[depth][v] + piece.cover[v];
        defence += piece.defence;
        const std::size_t next = depth + 1;
        double ordered = 0.0;
        const double limit = threshold();
        const double here = bound(next, ordered);
        if (here >= limit && reachable(next, defence) && !tie_cut(next, here)) {
            if (next == kPartCount) {
                leaf();
            } else {
                const double without = ordered - m_.parts[next].front().value[m_.order];
                for (const DPiece& child : m_.parts[next]) {
                    // Sorted by this lambda's value, so the rest are no better.
                    if (without + child.value[m_.order] < threshold()) break;
                    descend(next, child, defence);
                }
            }
        }
        for (std::size_t r = 0; r < requirement_acc_.size(); ++r) requirement_acc_[r] -= piece.requirement_potential[r];
        for (const SkillLevel& s : piece.skills) {
            levels_[s.skill] -= s.level;
            --touched_count_[s.skill];
        }
        touched_.resize(touched_.size() - fresh);
    }

    // Every set below scores at most `bound`, and with exact scores one scoring exactly the N-th
    // best's score ranks after it when its key is larger: none of them is wanted.
    bool tie_cut(std::size_t next_depth, double bound) const {
        if (!m_.exact || !top_.full() || bound > top_.worst().score) return false;
        Positions least = positions_;
        for (std::size_t p = next_depth; p < kPartCount; ++p) least[p] = m_.least_index[p];
        return codec_.encode(least) > top_.worst().key;
    }

    void leaf() {
        raw_totals_of(problem_.catalogue, positions_, problem_.weapon, raw_);
        if (raw_.defence < problem_.filters.min_defence) return;
        ++scored;
        const auto started = std::chrono::steady_clock::now();
        const double score = solver_.best_score(raw_, threshold());
        solve_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (score == -kInfinity) return;
        top_.offer({score, codec_.encode(positions_)});
        if (top_.full()) offer_max(shared_, top_.threshold());
    }

    const std::atomic<bool>* cancel_;
    const DecoratedProblem& problem_;
    const DModel& m_;
    KeyCodec codec_;
    TopN top_;
    PlacementSolver solver_;
    std::atomic<double>& shared_;
    std::vector<int> levels_;
    std::vector<int> touched_count_;
    std::vector<SkillId> touched_;
    std::vector<int> requirement_acc_;
    std::array<std::vector<double>, kPartCount + 1> chosen_;  // by depth, by lambda: the chosen pieces' lin
    std::array<std::vector<double>, kPartCount + 1> covered_;  // by depth, by cover vector: the chosen pieces' cover
    Positions positions_{};
    Totals raw_;
};

}  // namespace

std::vector<Ranked> decorated_branch_and_bound_top_n(const DecoratedProblem& problem, const SearchRequest& request,
                                                     SearchStats* stats) {
    const auto started = std::chrono::steady_clock::now();
    if (problem.catalogue.combination_count() == 0 || request.limit == 0) return {};
    // A requirement above the skill's game maximum (even with its secret skill) is met by no set.
    for (const auto& r : problem.model.requirements()) {
        if (r.min_level <= 0) continue;
        if (!r.skill) return {};
        const std::optional<int> cap = problem.catalogue.game().cap(*r.skill, true);
        if (cap && *cap < r.min_level) return {};
    }
    const DModel model = build_model(problem, request.limit, stats);
    for (const auto& part : model.parts)
        if (part.empty()) return {};
    const auto prepared = std::chrono::steady_clock::now();

    std::atomic<double> shared{-kInfinity};
    const unsigned thread_count = std::max(1u, std::min<unsigned>(request.threads, static_cast<unsigned>(model.parts[0].size())));
    std::vector<Explorer> explorers;
    explorers.reserve(thread_count);
    for (unsigned t = 0; t < thread_count; ++t) explorers.emplace_back(problem, model, request.limit, shared, request.cancel);
    std::atomic<std::size_t> next{0};
    auto work = [&](Explorer& explorer) {
        for (;;) {
            if (request.cancel && request.cancel->load(std::memory_order_relaxed)) return;
            const std::size_t h = next.fetch_add(1, std::memory_order_relaxed);
            if (h >= model.parts[0].size()) return;
            explorer.run_head(h);
        }
    };
    WorkerThreads threads(1, thread_count - 1, [&](unsigned t) { work(explorers[t]); });
    work(explorers[0]);
    threads.join();
    TopN merged(request.limit);
    for (const Explorer& e : explorers) merged.merge(e.top());
    if (stats) {
        for (const Explorer& e : explorers) {
            stats->nodes_visited += e.nodes;
            stats->combinations_scored += e.scored;
            stats->placement_seconds += e.solve_seconds;
            stats->placement_nodes += e.solver_nodes();
        }
        for (Part part : kAllParts) stats->pieces[index_of(part)] = problem.catalogue.pieces(part).size();
        const auto done = std::chrono::steady_clock::now();
        stats->prepare_seconds = std::chrono::duration<double>(prepared - started).count();
        stats->search_seconds = std::chrono::duration<double>(done - prepared).count();
    }
    return merged.sorted();
}

namespace {

// The most levels of one skill decorations can add to these slots: copies taken by level, each kept
// if the decorations so far still fit (counting by size suffices, the slots they fit being nested).
int most_levels(const std::vector<Decoration>& decorations, SkillId skill, const std::array<int, kSlotLevels>& slots) {
    struct Copy { int level, size, count; };
    std::vector<Copy> copies;
    int total_slots = 0;
    for (int n : slots) total_slots += n;
    for (const Decoration& d : decorations) {
        int level = 0;
        for (const SkillLevel& s : d.skills) level += s.skill == skill ? s.level : 0;
        if (level > 0) copies.push_back({level, d.size, d.count ? std::min(*d.count, total_slots) : total_slots});
    }
    std::stable_sort(copies.begin(), copies.end(), [](const Copy& a, const Copy& b) { return a.level > b.level; });
    std::array<int, kSlotLevels + 1> placed{};  // by size
    int levels = 0;
    for (const Copy& c : copies)
        for (int k = 0; k < c.count; ++k) {
            ++placed[c.size];
            bool fits = true;
            int decos = 0, room = 0;
            for (int d = static_cast<int>(kSlotLevels); d >= 1; --d) {
                decos += placed[d];
                room += slots[d - 1];
                fits = fits && decos <= room;
            }
            if (!fits) { --placed[c.size]; break; }
            levels += c.level;
        }
    return levels;
}

}  // namespace

DecoratedDiagnosis diagnose_decorated(const DecoratedProblem& problem) {
    DecoratedDiagnosis diagnosis;
    const Catalogue& catalogue = problem.catalogue;
    const KeyCodec codec(catalogue);
    int best_defence = 0;
    for (Part part : kAllParts) {
        int most = -1;
        for (std::uint32_t i = 0; i < catalogue.pieces(part).size(); ++i)
            if (problem.filters.allowed[index_of(part)][i]) most = std::max(most, catalogue.pieces(part)[i].defence);
        best_defence += std::max(0, most);
    }
    diagnosis.best_defence = best_defence;
    diagnosis.min_defence_unreachable = best_defence < problem.filters.min_defence;
    for (const auto& r : problem.model.requirements()) {
        if (r.min_level <= 0) continue;
        int best = 0;
        if (r.skill) {
            const SkillId skill = *r.skill;
            // A bound per part (its level plus what its slots can hold), for a search that stops early.
            int per_slot = 0;
            for (const Decoration& d : problem.model.decorations())
                for (const SkillLevel& s : d.skills) per_slot = std::max(per_slot, s.skill == skill ? s.level : 0);
            std::array<std::vector<std::pair<int, std::uint32_t>>, kPartCount> parts;
            std::array<int, kPartCount + 1> rest{};
            for (Part part : kAllParts) {
                const auto& pieces = catalogue.pieces(part);
                for (std::uint32_t i = 0; i < pieces.size(); ++i) {
                    if (!problem.filters.allowed[index_of(part)][i]) continue;
                    int potential = 0, slots = 0;
                    for (const SkillLevel& s : pieces[i].skills) potential += s.skill == skill ? s.level : 0;
                    for (int n : pieces[i].slots) slots += n;
                    parts[index_of(part)].push_back({potential + slots * per_slot, i});
                }
                std::sort(parts[index_of(part)].rbegin(), parts[index_of(part)].rend());
            }
            int extra = static_cast<int>(problem.weapon.size()) * per_slot;
            for (const SetBonus& bonus : catalogue.game().bonuses)
                for (const SetBonusRule& rule : bonus.rules) extra += rule.skill == skill;
            for (std::size_t d = kPartCount; d-- > 0;) rest[d] = rest[d + 1] + (parts[d].empty() ? 0 : parts[d].front().first);
            Positions p{};
            Totals raw;
            // No set goes past the game maximum (with the secret skill active): once there, stop.
            const std::optional<int> highest = catalogue.game().cap(skill, true);
            std::function<void(std::size_t, int)> visit = [&](std::size_t depth, int acc) {
                if (best >= r.min_level) return;  // reached: it is not the unreachable one
                if (highest && best >= *highest) return;
                if (depth == kPartCount) {
                    raw_totals_of(catalogue, p, problem.weapon, raw);
                    int level = 0, secret = 0;
                    const auto secret_of = problem.model.secret_of(skill);
                    for (const SkillLevel& s : raw.skills) {
                        if (s.skill == skill) level = s.level;
                        if (secret_of && s.skill == *secret_of) secret = s.level;
                    }
                    level += most_levels(problem.model.decorations(), skill, raw.slots);
                    const auto cap = catalogue.game().cap(skill, secret >= 1);
                    best = std::max(best, cap ? std::min(level, *cap) : level);
                    return;
                }
                for (const auto& [potential, index] : parts[depth]) {
                    if (acc + potential + rest[depth + 1] + extra <= best) break;
                    p[depth] = index;
                    visit(depth + 1, acc + potential);
                }
            };
            visit(0, 0);
        }
        if (best < r.min_level) diagnosis.unreachable.push_back({r.name, r.min_level, best});
    }
    return diagnosis;
}

std::string explain(const DecoratedDiagnosis& diagnosis, const ResolvedFilters& filters) {
    std::string out;
    for (const auto& r : diagnosis.unreachable)
        out += fmt::format("no set reaches {} {}: the best reachable is {} (counting decorations)\n", r.skill, r.required, r.best);
    if (diagnosis.min_defence_unreachable)
        out += fmt::format("no set reaches defence {}: the best reachable is {}\n", filters.min_defence, diagnosis.best_defence);
    if (out.empty()) out = "each filter can be met on its own, but no set meets them all together (counting decorations)\n";
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace mhwopt
