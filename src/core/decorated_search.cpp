#include "core/decorated_search.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

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
        PlacementSolver solver(problem.model);
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
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < thread_count; ++t) threads.emplace_back(work, t);
    work(0);
    for (auto& thread : threads) thread.join();
    TopN merged(request.limit);
    for (const TopN& top : tops) merged.merge(top);
    return merged.sorted();
}

namespace {

// What the bound needs, computed once per search.
struct BoundModel {
    struct FlatPiece {
        std::uint32_t index;     // position in its part
        double linear;           // slots counted empty, and defence
        double optimistic;       // linear + every level at its steepest gain + slot upgrades + bonus share
        double upgrades_and_share;
        int defence;
        std::vector<SkillLevel> skills;
        std::vector<int> requirement_potential;  // per requirement: its level plus its slots' best
    };
    std::array<std::vector<FlatPiece>, kPartCount> parts;  // allowed pieces, most optimistic first
    std::array<double, kPartCount + 1> rest{};             // Σ best optimistic of the parts from depth d on
    std::array<int, kPartCount + 1> defence_rest{};
    std::vector<std::array<int, kPartCount + 1>> requirement_rest;
    std::vector<int> requirement_extra;  // weapon slots and set bonuses, per requirement
    double weapon_value = 0.0;           // linear and upgrades of the weapon's slots
    std::vector<double> steepest;        // by skill
    double margin = 0.0;
};

double best_value(const PlacementModel& model, SkillId skill, int level) {
    const double plain = model.value(skill, level, false);
    return model.secret_of(skill) ? std::max(plain, model.value(skill, level, true)) : plain;
}

BoundModel build_bound(const DecoratedProblem& problem) {
    const Catalogue& catalogue = problem.catalogue;
    const PlacementModel& model = problem.model;
    const Config& config = model.scorer().config();
    BoundModel b;
    std::array<double, kSlotLevels> empty{};
    for (std::size_t l = 0; l < kSlotLevels; ++l) empty[l] = config.deco_weights[l] + config.num_decos_weight;

    // The steepest chord of each skill's value (the better of its two maxima) over every level a set can reach.
    const std::size_t skills = catalogue.skill_count();
    std::vector<int> reach(skills, model.most_levels_added());
    for (Part part : kAllParts) {
        std::vector<int> most(skills, 0);
        for (const Piece& piece : catalogue.pieces(part))
            for (const SkillLevel& s : piece.skills) most[s.skill] = std::max(most[s.skill], s.level);
        for (std::size_t s = 0; s < skills; ++s) reach[s] = std::min(1024, reach[s] + most[s]);
    }
    for (const SetBonus& bonus : catalogue.game().bonuses)
        for (const SetBonusRule& rule : bonus.rules) reach[rule.skill] = std::min(1024, reach[rule.skill] + 1);
    b.steepest.assign(skills, 0.0);
    for (SkillId s = 0; s < skills; ++s) {
        std::vector<double> v(static_cast<std::size_t>(reach[s]) + 2);
        for (std::size_t t = 0; t < v.size(); ++t) v[t] = best_value(model, s, static_cast<int>(t));
        double steepest = -kInfinity;
        for (std::size_t u = 0; u < v.size(); ++u)
            for (std::size_t w = u + 1; w < v.size(); ++w) steepest = std::max(steepest, (v[w] - v[u]) / static_cast<double>(w - u));
        b.steepest[s] = steepest;
    }

    // A slot's best upgrade over staying empty, and per requirement the most levels a slot can add.
    const auto& reqs = model.requirements();
    std::array<double, kSlotLevels> upgrade{};
    std::vector<std::array<int, kSlotLevels>> req_slot(reqs.size(), std::array<int, kSlotLevels>{});
    for (std::size_t l = 0; l < kSlotLevels; ++l) {
        double best = -kInfinity;
        for (const auto& group : model.groups()) {
            if (group.count <= 0 || group.size > static_cast<int>(l + 1)) continue;
            double opt = 0.0;
            for (const SkillLevel& s : group.skills) opt += s.level * b.steepest[s.skill];
            best = std::max(best, opt);
            for (std::size_t r = 0; r < reqs.size(); ++r)
                for (const SkillLevel& s : group.skills)
                    if (reqs[r].skill && s.skill == *reqs[r].skill) req_slot[r][l] = std::max(req_slot[r][l], s.level);
        }
        upgrade[l] = std::max(0.0, best - empty[l]);
    }
    // A bonus's value over n pieces is at most n times its best value per piece.
    const auto& bonuses = catalogue.game().bonuses;
    std::vector<double> share(bonuses.size(), 0.0);
    for (std::size_t k = 0; k < bonuses.size(); ++k) {
        double best = -kInfinity;
        for (int n = 1; n <= 5; ++n) {
            double total = 0.0;
            for (const SetBonusRule& rule : bonuses[k].rules)
                if (rule.pieces <= n) total += b.steepest[rule.skill];
            best = std::max(best, total / n);
        }
        share[k] = best;
    }
    b.requirement_extra.assign(reqs.size(), 0);
    for (std::size_t r = 0; r < reqs.size(); ++r) {
        for (int level : problem.weapon) b.requirement_extra[r] += req_slot[r][level - 1];
        int granted = 0;
        for (const SetBonus& bonus : bonuses)
            for (const SetBonusRule& rule : bonus.rules) granted += reqs[r].skill && rule.skill == *reqs[r].skill;
        b.requirement_extra[r] += std::min(granted, 5);
    }
    for (int level : problem.weapon) b.weapon_value += empty[level - 1] + upgrade[level - 1];

    double magnitude = std::fabs(b.weapon_value);
    b.requirement_rest.assign(reqs.size(), std::array<int, kPartCount + 1>{});
    for (Part part : kAllParts) {
        const std::size_t p = index_of(part);
        const auto& pieces = catalogue.pieces(part);
        double largest = 0.0;
        for (std::uint32_t i = 0; i < pieces.size(); ++i) {
            if (!problem.filters.allowed[p][i]) continue;
            const Piece& piece = pieces[i];
            BoundModel::FlatPiece flat;
            flat.index = i;
            flat.defence = piece.defence;
            flat.linear = piece.defence * config.defence_weight;
            flat.upgrades_and_share = 0.0;
            for (std::size_t l = 0; l < kSlotLevels; ++l) {
                flat.linear += piece.slots[l] * empty[l];
                flat.upgrades_and_share += piece.slots[l] * upgrade[l];
            }
            if (piece.set_bonus >= 0) flat.upgrades_and_share += std::max(0.0, share[piece.set_bonus]);
            flat.optimistic = flat.linear + flat.upgrades_and_share;
            for (const SkillLevel& s : piece.skills) {
                flat.optimistic += s.level * b.steepest[s.skill];
                flat.skills.push_back(s);
            }
            for (std::size_t r = 0; r < reqs.size(); ++r) {
                int potential = 0;
                for (const SkillLevel& s : piece.skills) potential += reqs[r].skill && s.skill == *reqs[r].skill ? s.level : 0;
                for (std::size_t l = 0; l < kSlotLevels; ++l) potential += piece.slots[l] * req_slot[r][l];
                flat.requirement_potential.push_back(potential);
            }
            largest = std::max(largest, std::fabs(flat.optimistic) + std::fabs(flat.linear));
            b.parts[p].push_back(std::move(flat));
        }
        magnitude += largest;
        std::stable_sort(b.parts[p].begin(), b.parts[p].end(),
                         [](const BoundModel::FlatPiece& x, const BoundModel::FlatPiece& y) { return x.optimistic > y.optimistic; });
    }
    for (std::size_t d = kPartCount; d-- > 0;) {
        double best = -kInfinity;
        int defence = 0;
        for (const auto& piece : b.parts[d]) {
            best = std::max(best, piece.optimistic);
            defence = std::max(defence, piece.defence);
        }
        b.rest[d] = b.rest[d + 1] + best;
        b.defence_rest[d] = b.defence_rest[d + 1] + defence;
        for (std::size_t r = 0; r < reqs.size(); ++r) {
            int most = 0;
            for (const auto& piece : b.parts[d]) most = std::max(most, piece.requirement_potential[r]);
            b.requirement_rest[r][d] = b.requirement_rest[r][d + 1] + most;
        }
    }
    for (double steep : b.steepest) magnitude += std::fabs(steep) * 8;
    b.margin = 1e-9 * (1.0 + magnitude);
    return b;
}

class Explorer {
public:
    Explorer(const DecoratedProblem& problem, const BoundModel& bound, std::size_t limit, std::atomic<double>& shared)
        : problem_(problem), b_(bound), codec_(problem.catalogue), top_(limit), solver_(problem.model), shared_(shared),
          levels_(problem.catalogue.skill_count(), 0), requirement_acc_(problem.model.requirements().size(), 0) {}

    void run_head(std::size_t h) {
        const auto& piece = b_.parts[0][h];
        const double base = b_.weapon_value;
        if (base + piece.optimistic + b_.rest[1] < threshold()) return;
        descend_with(0, piece, base, 0);
    }

    const TopN& top() const { return top_; }
    std::uint64_t nodes = 0, scored = 0;

private:
    double threshold() const {
        return std::max(top_.threshold(), shared_.load(std::memory_order_relaxed)) - b_.margin;
    }

    // Adds a piece, returns its exact change of Σ best_value over its skills.
    double add(const BoundModel::FlatPiece& piece) {
        double delta = 0.0;
        for (const SkillLevel& s : piece.skills) {
            const double before = best_value(problem_.model, s.skill, levels_[s.skill]);
            levels_[s.skill] += s.level;
            delta += best_value(problem_.model, s.skill, levels_[s.skill]) - before;
        }
        for (std::size_t r = 0; r < requirement_acc_.size(); ++r) requirement_acc_[r] += piece.requirement_potential[r];
        return delta + piece.linear + piece.upgrades_and_share;
    }
    void remove(const BoundModel::FlatPiece& piece) {
        for (const SkillLevel& s : piece.skills) levels_[s.skill] -= s.level;
        for (std::size_t r = 0; r < requirement_acc_.size(); ++r) requirement_acc_[r] -= piece.requirement_potential[r];
    }

    bool reachable(std::size_t next_depth, int defence) const {
        if (defence + b_.defence_rest[next_depth] < problem_.filters.min_defence) return false;
        const auto& reqs = problem_.model.requirements();
        for (std::size_t r = 0; r < reqs.size(); ++r)
            if (requirement_acc_[r] + b_.requirement_extra[r] + b_.requirement_rest[r][next_depth] < reqs[r].min_level) return false;
        return true;
    }

    // `partial` includes the piece's exact share once added; the skills' exact value is kept in it.
    void descend_with(std::size_t depth, const BoundModel::FlatPiece& piece, double partial, int defence) {
        ++nodes;
        positions_[depth] = piece.index;
        const double value = partial + add(piece);
        defence += piece.defence;
        if (depth + 1 == kPartCount) {
            if (value >= threshold() && reachable(kPartCount, defence)) leaf();
        } else if (value + b_.rest[depth + 1] >= threshold() && reachable(depth + 1, defence)) {
            for (const auto& next : b_.parts[depth + 1]) {
                if (value + next.optimistic + b_.rest[depth + 2] < threshold()) break;  // the rest are no better
                descend_with(depth + 1, next, value, defence);
            }
        }
        remove(piece);
    }

    void leaf() {
        raw_totals_of(problem_.catalogue, positions_, problem_.weapon, raw_);
        if (raw_.defence < problem_.filters.min_defence) return;
        ++scored;
        const double score = solver_.best_score(raw_);
        if (score == -kInfinity) return;
        top_.offer({score, codec_.encode(positions_)});
        if (top_.full()) offer_max(shared_, top_.threshold());
    }

    const DecoratedProblem& problem_;
    const BoundModel& b_;
    KeyCodec codec_;
    TopN top_;
    PlacementSolver solver_;
    std::atomic<double>& shared_;
    std::vector<int> levels_;
    std::vector<int> requirement_acc_;
    Positions positions_{};
    Totals raw_;
};

}  // namespace

std::vector<Ranked> decorated_branch_and_bound_top_n(const DecoratedProblem& problem, const SearchRequest& request,
                                                     SearchStats* stats) {
    const auto started = std::chrono::steady_clock::now();
    if (problem.catalogue.combination_count() == 0 || request.limit == 0) return {};
    const BoundModel bound = build_bound(problem);
    for (const auto& part : bound.parts)
        if (part.empty()) return {};
    // Σ best_value at level 0 is where the exact skill sums start.
    double start = 0.0;
    for (SkillId s = 0; s < problem.catalogue.skill_count(); ++s) start += best_value(problem.model, s, 0);
    (void)start;  // every value at level 0 is 0: level × weight
    const auto prepared = std::chrono::steady_clock::now();

    std::atomic<double> shared{-kInfinity};
    const unsigned thread_count = std::max(1u, std::min<unsigned>(request.threads, static_cast<unsigned>(bound.parts[0].size())));
    std::vector<Explorer> explorers;
    explorers.reserve(thread_count);
    for (unsigned t = 0; t < thread_count; ++t) explorers.emplace_back(problem, bound, request.limit, shared);
    std::atomic<std::size_t> next{0};
    auto work = [&](Explorer& explorer) {
        for (;;) {
            if (request.cancel && request.cancel->load(std::memory_order_relaxed)) return;
            const std::size_t h = next.fetch_add(1, std::memory_order_relaxed);
            if (h >= bound.parts[0].size()) return;
            explorer.run_head(h);
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < thread_count; ++t) threads.emplace_back(work, std::ref(explorers[t]));
    work(explorers[0]);
    for (auto& thread : threads) thread.join();
    TopN merged(request.limit);
    for (const Explorer& e : explorers) merged.merge(e.top());
    if (stats) {
        for (const Explorer& e : explorers) {
            stats->nodes_visited += e.nodes;
            stats->combinations_scored += e.scored;
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
            std::function<void(std::size_t, int)> visit = [&](std::size_t depth, int acc) {
                if (best >= r.min_level) return;  // reached: it is not the unreachable one
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
