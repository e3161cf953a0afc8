// Filter diagnosis: why no set passes (an empty part, or each requirement's best value with the
// other filters met), found by small exact searches on single-quantity objectives.
#include <cmath>

#include <fmt/format.h>

#include "core/search/best_first.hpp"

namespace mhwopt::engine {

namespace {

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
                           unsigned threads, const std::atomic<bool>* cancel) {
    const Scorer scorer(catalogue, single_objective(catalogue, skill));
    SearchRequest request;
    request.limit = 1;
    request.threads = threads;
    request.cancel = cancel;
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

}  // namespace mhwopt::engine

namespace mhwopt {

using namespace engine;

FilterDiagnosis diagnose_filters(const Catalogue& catalogue, const ResolvedFilters& filters, unsigned threads,
                                 const std::atomic<bool>* cancel) {
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
        if (cancel && cancel->load()) break;
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
            if (best_of(catalogue, std::nullopt, others, threads, cancel)) unmet.best_with_others = 0;
        } else {
            unmet.best_alone = best_alone(catalogue, skill, filters);
            unmet.best_with_others = best_of(catalogue, skill, others, threads, cancel);
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
