#include <algorithm>
#include <cfloat>
#include <cmath>

#include "core/search.hpp"
#include "core/worker_threads.hpp"

namespace mhwopt {

namespace {

// Pieces flattened for the hot loops: one contiguous array of merged skills, no strings.
struct FlatPiece {
    double linear;
    std::uint32_t skill_begin;
    std::uint32_t skill_end;
};

struct FlatCatalogue {
    std::array<std::vector<FlatPiece>, kPartCount> parts;
    std::vector<SkillLevel> skills;

    FlatCatalogue(const Catalogue& catalogue, const Scorer& scorer) {
        for (Part part : kAllParts) {
            for (const Piece& piece : catalogue.pieces(part)) {
                FlatPiece flat{scorer.linear_value(piece.slots, piece.defence),
                               static_cast<std::uint32_t>(skills.size()), 0};
                for (const SkillLevel& s : piece.skills) {
                    auto same = std::find_if(skills.begin() + flat.skill_begin, skills.end(),
                                             [&](const SkillLevel& t) { return t.skill == s.skill; });
                    if (same != skills.end()) same->level += s.level;
                    else skills.push_back(s);
                }
                flat.skill_end = static_cast<std::uint32_t>(skills.size());
                parts[index_of(part)].push_back(flat);
            }
        }
    }
};

class Worker {
public:
    Worker(const Catalogue& catalogue, const Scorer& scorer, const FlatCatalogue& flat, std::size_t limit, double margin,
           const ResolvedFilters* filters)
        : catalogue_(catalogue), scorer_(scorer), flat_(flat), filters_(filters), codec_(catalogue), top_(limit),
          levels_(catalogue.skill_count(), 0), values_(catalogue.skill_count(), 0.0), margin_(margin) {}

    // Every combination that starts with this head and body.
    void run_prefix(std::uint32_t head, std::uint32_t body) {
        if (filters_ && (!filters_->allowed[index_of(Part::Head)][head] || !filters_->allowed[index_of(Part::Body)][body])) return;
        positions_[0] = head;
        positions_[1] = body;
        double partial = add(Part::Head, head);
        partial += add(Part::Body, body);
        descend(2, partial);
        remove(Part::Body, body);
        remove(Part::Head, head);
    }

    const TopN& top() const { return top_; }

private:
    double add(Part part, std::uint32_t index) {
        const FlatPiece& piece = flat_.parts[index_of(part)][index];
        double delta = piece.linear;
        for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i) {
            const SkillLevel& s = flat_.skills[i];
            const double before = values_[s.skill];
            levels_[s.skill] += s.level;
            values_[s.skill] = scorer_.skill_value(s.skill, levels_[s.skill]);
            delta += values_[s.skill] - before;
        }
        return delta;
    }

    void remove(Part part, std::uint32_t index) {
        const FlatPiece& piece = flat_.parts[index_of(part)][index];
        for (std::uint32_t i = piece.skill_begin; i < piece.skill_end; ++i) {
            const SkillLevel& s = flat_.skills[i];
            levels_[s.skill] -= s.level;
            values_[s.skill] = scorer_.skill_value(s.skill, levels_[s.skill]);
        }
    }

    void descend(std::size_t depth, double partial) {
        const auto part = static_cast<Part>(depth);
        const auto& pieces = flat_.parts[depth];
        if (part == Part::Charm) {
            score_charms(partial);
            return;
        }
        for (std::uint32_t i = 0; i < pieces.size(); ++i) {
            if (filters_ && !filters_->allowed[depth][i]) continue;
            positions_[depth] = i;
            const double next = partial + add(part, i);
            descend(depth + 1, next);
            remove(part, i);
        }
    }

    // The innermost loop: a charm's contribution is read off the current levels without updating them.
    void score_charms(double partial) {
        const auto& charms = flat_.parts[index_of(Part::Charm)];
        double threshold = top_.threshold() - margin_;
        for (std::uint32_t c = 0; c < charms.size(); ++c) {
            if (filters_ && !filters_->allowed[index_of(Part::Charm)][c]) continue;
            const FlatPiece& charm = charms[c];
            double score = partial + charm.linear;
            for (std::uint32_t i = charm.skill_begin; i < charm.skill_end; ++i) {
                const SkillLevel& s = flat_.skills[i];
                score += scorer_.skill_value(s.skill, levels_[s.skill] + s.level) - values_[s.skill];
            }
            if (score < threshold) continue;
            positions_[index_of(Part::Charm)] = c;
            totals_of(catalogue_, positions_, scratch_);
            if (filters_ && !filters_->passes(scratch_)) continue;
            top_.offer({scorer_.score(scratch_), codec_.encode(positions_)});
            threshold = top_.threshold() - margin_;
        }
    }

    const Catalogue& catalogue_;
    const Scorer& scorer_;
    const FlatCatalogue& flat_;
    const ResolvedFilters* filters_;  // null: every combination counts
    KeyCodec codec_;
    TopN top_;
    std::vector<int> levels_;
    std::vector<double> values_;  // skill_value of each skill at its current level
    Positions positions_{};
    Totals scratch_;
    double margin_;
};

}  // namespace

double rounding_margin(const Catalogue& catalogue, const Scorer& scorer) {
    // Every partial sum is bounded by the sum of the magnitudes of all terms that can occur.
    double magnitude = 0.0;
    std::vector<int> max_level(catalogue.skill_count(), 0);
    for (Part part : kAllParts) {
        double largest = 0.0;
        std::vector<int> part_max(catalogue.skill_count(), 0);
        for (const Piece& piece : catalogue.pieces(part)) {
            largest = std::max(largest, std::fabs(scorer.linear_value(piece.slots, piece.defence)));
            for (const SkillLevel& s : piece.skills) part_max[s.skill] = std::max(part_max[s.skill], s.level * 2);
        }
        magnitude += largest;
        for (std::size_t s = 0; s < part_max.size(); ++s) max_level[s] += part_max[s];
    }
    for (std::size_t s = 0; s < max_level.size(); ++s) {
        const SkillRule& rule = scorer.rule(static_cast<SkillId>(s));
        magnitude += max_level[s] * std::max({std::fabs(rule.weight), std::fabs(rule.penalty), 1.0});
    }
    // Each of the few dozen additions rounds by at most half an ulp of the running magnitude.
    return 256.0 * DBL_EPSILON * (1.0 + magnitude);
}

namespace {
std::vector<Ranked> run_exhaustive(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                   const ResolvedFilters* filters) {
    if (catalogue.combination_count() == 0 || request.limit == 0) return {};
    const FlatCatalogue flat(catalogue, scorer);
    const double margin = rounding_margin(catalogue, scorer);
    const std::uint32_t heads = static_cast<std::uint32_t>(catalogue.pieces(Part::Head).size());
    const std::uint32_t bodies = static_cast<std::uint32_t>(catalogue.pieces(Part::Body).size());
    const std::uint64_t prefixes = std::uint64_t{heads} * bodies;
    const std::uint64_t per_prefix = catalogue.combination_count() / prefixes;

    const unsigned thread_count = std::max(1u, std::min<unsigned>(request.threads, static_cast<unsigned>(std::min<std::uint64_t>(prefixes, 1024))));
    std::atomic<std::uint64_t> next_prefix{0};
    std::vector<Worker> workers;
    workers.reserve(thread_count);
    for (unsigned t = 0; t < thread_count; ++t) workers.emplace_back(catalogue, scorer, flat, request.limit, margin, filters);

    auto work = [&](Worker& worker) {
        for (;;) {
            if (request.cancel && request.cancel->load(std::memory_order_relaxed)) return;
            const std::uint64_t prefix = next_prefix.fetch_add(1, std::memory_order_relaxed);
            if (prefix >= prefixes) return;
            worker.run_prefix(static_cast<std::uint32_t>(prefix / bodies), static_cast<std::uint32_t>(prefix % bodies));
            if (request.progress) request.progress->fetch_add(per_prefix, std::memory_order_relaxed);
        }
    };
    WorkerThreads threads(1, thread_count - 1, [&](unsigned t) { work(workers[t]); });
    work(workers[0]);
    threads.join();

    TopN merged(request.limit);
    for (const Worker& worker : workers) merged.merge(worker.top());
    return merged.sorted();
}

}  // namespace

std::vector<Ranked> exhaustive_top_n(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request) {
    return run_exhaustive(catalogue, scorer, request, nullptr);
}

std::vector<Ranked> exhaustive_top_n(const Catalogue& catalogue, const Scorer& scorer, const SearchRequest& request,
                                     const ResolvedFilters& filters) {
    return run_exhaustive(catalogue, scorer, request, &filters);
}

}  // namespace mhwopt
