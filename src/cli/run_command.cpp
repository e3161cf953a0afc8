// mhwopt run EQUIPMENT.csv OUTPUT.csv CONFIG.json: the original's job, drop-in.
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>

#include <fmt/format.h>

#include "cli/catalogue_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/branch_and_bound.hpp"
#include "core/decorated_search.hpp"
#include "core/search.hpp"
#include "io/config_reader.hpp"
#include "io/decorated_results_writer.hpp"
#include "io/progress.hpp"
#include "io/results_file.hpp"

namespace mhwopt::cli {

namespace {

struct RunOptions {
    std::string equipment_path;
    std::string output_path;
    std::string config_path;
    std::int64_t limit = 0;  // 0: the config's
    unsigned threads = default_thread_count();
    bool quiet = false;
    bool exhaustive = false;
    bool stats = false;
    CatalogueOptions catalogue;
    FilterOptions filters;
    std::string decorations;   // a CSV file, "all" (the data set's), or empty
    std::string weapon_slots;  // "L[,L[,L]]", or empty
    bool decorated() const { return !decorations.empty() || !weapon_slots.empty(); }
};

void print_stats(const Catalogue& catalogue, const SearchStats& stats) {
    std::string parts;
    for (Part part : kAllParts)
        parts += fmt::format(" {} {}/{}", part_name(part), stats.removed_by_dominance[index_of(part)], stats.pieces[index_of(part)]);
    std::fprintf(stderr, "search: %s combinations; %llu nodes visited, %llu sets scored; removed by dominance:%s; prepare %.3f s, search %.3f s\n",
                 with_thousands_separators(catalogue.combination_count()).c_str(),
                 static_cast<unsigned long long>(stats.nodes_visited), static_cast<unsigned long long>(stats.combinations_scored),
                 parts.c_str(), stats.prepare_seconds, stats.search_seconds);
}

// Runs `engine` on its own thread with the original's "Creating combinations..." line, which only
// the exhaustive engines advance (their work is proportional to the count); Ctrl-C ends it.
std::vector<Ranked> search_with_progress(const RunOptions& options, ProgressMode mode, std::uint64_t total, std::int64_t limit,
                                         const std::function<std::vector<Ranked>(const SearchRequest&)>& engine) {
    ProgressLine creating(stderr, mode, "Creating combinations...", total);
    std::atomic<std::uint64_t> done{0};
    SearchRequest request;
    request.limit = static_cast<std::size_t>(limit);
    request.threads = options.threads;
    request.progress = &done;
    request.cancel = &interrupted();
    auto search = std::async(std::launch::async, [&] { return engine(request); });
    while (search.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) creating.update(done.load());
    std::vector<Ranked> best = search.get();
    if (interrupted().load()) throw Interrupted{};
    creating.finish();
    return best;
}

int run_decorated(const RunOptions& options);

int run(const RunOptions& options) {
    if (options.decorated()) return run_decorated(options);
    install_interrupt_handler();
    const WarningSink warn = stderr_warnings();
    const Filters filters = options.filters.parse();
    const Catalogue catalogue = options.catalogue.load(options.equipment_path, warn);
    Config config = read_config_file(options.config_path, warn);
    if (options.limit > 0) config.limit = options.limit;
    const Scorer scorer(catalogue, config);
    const ResolvedFilters resolved = resolve_filters(catalogue, filters);
    // Opened before the search, so that an output that cannot be written is said at once.
    ResultsFile output(options.output_path);

    const ProgressMode mode = progress_mode_for(stderr, options.quiet);
    const std::uint64_t total = catalogue.combination_count();
    SearchStats stats;
    // Branch and bound gives the same result as visiting every combination (property-tested).
    const std::vector<Ranked> best = search_with_progress(options, mode, total, config.limit, [&](const SearchRequest& request) {
        return options.exhaustive ? exhaustive_top_n(catalogue, scorer, request, resolved)
                                  : branch_and_bound_top_n(catalogue, scorer, request, resolved, &stats);
    });
    if (options.stats && !options.exhaustive) print_stats(catalogue, stats);
    if (best.empty() && !filters.empty()) {
        const FilterDiagnosis diagnosis = diagnose_filters(catalogue, resolved, options.threads, &interrupted());
        if (interrupted().load()) throw Interrupted{};
        throw std::runtime_error("no set satisfies the filters:\n" + explain(diagnosis));
    }

    ProgressLine scoring(stderr, mode, "Scoring and filtering combinations...", total);
    scoring.finish();

    // Decoded row by row: with --limit in the millions, the keys are all that is held.
    const KeyCodec codec(catalogue);
    const RowSource rows(best.size(), [&](std::size_t i) { return codec.decode(best[i].key); });
    ProgressLine exporting(stderr, mode, "Exporting combinations...", rows.size());
    write_results_csv(output.stream(), catalogue, rows, [&](std::size_t done) { exporting.update(done); });
    output.commit();
    exporting.finish();
    return kExitOk;
}

// With decorations or weapon slots: the game as players play it (issue 10). A separate path, so that
// without them every output stays byte-identical to the plain one.
int run_decorated(const RunOptions& options) {
    install_interrupt_handler();
    const WarningSink warn = stderr_warnings();
    const WeaponSlots weapon = parse_weapon_slots_option(options.weapon_slots);
    const Filters filters = options.filters.parse();
    GameCatalogue loaded = options.catalogue.load_with_game(options.equipment_path, options.decorations, warn);
    const Catalogue& catalogue = loaded.catalogue;
    const std::vector<Decoration>& decorations = loaded.decorations;
    Config config = read_config_file(options.config_path, warn);
    if (options.limit > 0) config.limit = options.limit;
    const Scorer scorer(catalogue, config);
    const ResolvedFilters resolved = resolve_filters(catalogue, filters);
    const PlacementModel model(catalogue, scorer, decorations, resolved.requirements);
    const DecoratedProblem problem{catalogue, model, weapon, resolved};
    ResultsFile output(options.output_path);

    const ProgressMode mode = progress_mode_for(stderr, options.quiet);
    const std::uint64_t total = catalogue.combination_count();
    SearchStats stats;
    const std::vector<Ranked> best = search_with_progress(options, mode, total, config.limit, [&](const SearchRequest& request) {
        return options.exhaustive ? decorated_exhaustive_top_n(problem, request)
                                  : decorated_branch_and_bound_top_n(problem, request, &stats);
    });
    if (options.stats && !options.exhaustive)
        std::fprintf(stderr, "search: %s combinations; %llu nodes visited, %llu sets scored (placements solved, %.2f µs and %.0f solver nodes each on average); prepare %.3f s, search %.3f s\n",
                     with_thousands_separators(catalogue.combination_count()).c_str(),
                     static_cast<unsigned long long>(stats.nodes_visited), static_cast<unsigned long long>(stats.combinations_scored),
                     stats.combinations_scored ? 1e6 * stats.placement_seconds / static_cast<double>(stats.combinations_scored) : 0.0,
                     stats.combinations_scored ? static_cast<double>(stats.placement_nodes) / static_cast<double>(stats.combinations_scored) : 0.0,
                     stats.prepare_seconds, stats.search_seconds);
    if (best.empty() && !filters.empty())
        throw std::runtime_error("no set satisfies the filters:\n" + explain(diagnose_decorated(problem), resolved));

    ProgressLine scoring(stderr, mode, "Scoring and filtering combinations...", total);
    scoring.finish();
    const KeyCodec codec(catalogue);
    PlacementSolver solver(model);
    std::vector<DecoratedRow> rows(best.size());
    ProgressLine exporting(stderr, mode, "Exporting combinations...", rows.size());
    Totals raw;
    for (std::size_t i = 0; i < best.size(); ++i) {
        rows[i].positions = codec.decode(best[i].key);
        raw_totals_of(catalogue, rows[i].positions, weapon, raw);
        solver.solve(raw, &rows[i].placement);
    }
    write_decorated_results_csv(output.stream(), catalogue, decorations, weapon, rows);
    output.commit();
    exporting.finish();
    return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, CommandAction& selected) {
    auto options = std::make_shared<RunOptions>();
    CLI::App* cmd = app.add_subcommand("run", "Find the best combinations and write them as CSV (the original's job)");
    cmd->add_option("equipment", options->equipment_path, "Equipment CSV (the original's format), or MHWorldData source directory")->required();
    cmd->add_option("output", options->output_path, "Output CSV to write (may be /dev/null)")->required();
    cmd->add_option("config", options->config_path, "Scoring config JSON (the original's format)")->required();
    cmd->add_option("--limit", options->limit, "How many combinations to keep (overrides the config's limit)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{kMaxLimit}));
    cmd->add_option("--threads", options->threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(1u, 1024u))->capture_default_str();
    cmd->add_flag("-q,--quiet", options->quiet, "No progress output");
    cmd->add_flag("--exhaustive", options->exhaustive, "Score every combination instead of branch and bound (same result, slower)");
    cmd->add_flag("--stats", options->stats, "Print search statistics (nodes visited, pieces removed by dominance) on stderr");
    options->catalogue.add_to(*cmd);
    options->filters.add_to(*cmd);
    cmd->add_option("--decorations", options->decorations,
                    "Fill slots with decorations: a CSV (Decoration,Size,Skill 1,Level,Skill 2,Level[,Count]) or \"all\" (with --format mhworld); adds Decorations and Score columns");
    cmd->add_option("--weapon-slots", options->weapon_slots, "The weapon's slot levels, L[,L[,L]] (1-4), for decorations too");
    cmd->footer(
        "Examples:\n"
        "  mhwopt run equipment.csv best.csv config.json\n"
        "  mhwopt run equipment.csv /dev/null config.json --limit 100 --threads 2 -q\n"
        "  mhwopt run all.csv best.csv config.json --require \"Attack Boost>=5\" --min-defence 700 --pin \"Master Charm IV\"\n"
        "  mhwopt run path/to/MHWorldData/source_data best.csv config.json --format mhworld --rarity 12\n"
        "  mhwopt run path/to/MHWorldData/source_data best.csv config.json --decorations all --weapon-slots 4,4,2");
    cmd->callback([options, &selected] { selected = [options] { return run(*options); }; });
}

}  // namespace mhwopt::cli
