// mhwopt report: one self-contained HTML page from a results CSV (or a saved score run), for
// looking at results rather than reading them.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <algorithm>
#include <memory>
#include <optional>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/combination.hpp"
#include "core/placement.hpp"
#include "core/weapon_slots.hpp"
#include "db/catalogue_store.hpp"
#include "db/database.hpp"
#include "db/stored_requirements.hpp"
#include "db/decoration_provenance.hpp"
#include "io/config_reader.hpp"
#include "io/decorated_results_writer.hpp"
#include "io/html_report.hpp"
#include "io/progress.hpp"
#include "io/results_file.hpp"
#include "io/results_reader.hpp"
#include "io/results_writer.hpp"
#include "io/text_input.hpp"

namespace mhwopt::cli {

namespace {

struct ReportOptions {
    std::string results_path;
    std::string config_path;
    std::string output_path;  // empty: stdout
    std::string title;
    std::size_t top = 20;
    bool quiet = false;
    std::string db_path = "mhwopt.db";
    std::optional<std::int64_t> run;
    std::vector<std::int64_t> compare;  // two score run ids: before, after
};

std::string base_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A saved score run, read through the db layer's public classes only.
struct SavedRun {
    std::int64_t id = 0;
    std::string config_source;
    std::string config_text;
    std::string catalogue_hash;
    std::string scored;
    std::optional<std::string> weapon_slots;  // set: ranked by the best placement of the stored decorations
    std::optional<std::string> decorations_hash;  // of those decorations; unset for a plain run or one before schema 8
    db::DecorationsMatch decorations = db::DecorationsMatch::Same;  // those of a decorated run against the stored ones
    std::vector<std::pair<CombinationKey, double>> results;  // by rank
};

SavedRun read_saved_run(db::Database& db, std::int64_t id, const std::string& db_path) {
    SavedRun run;
    run.id = id;
    SQLite::Statement header(db, "SELECT config_source, config_text, catalogue_hash, scored, weapon_slots, decorations_hash FROM score_run WHERE id = ?");
    header.bind(1, static_cast<int64_t>(id));
    if (!header.executeStep()) {
        const std::int64_t last = db.execAndGet("SELECT coalesce(max(id), 0) FROM score_run").getInt64();
        throw UsageError(last == 0 ? fmt::format("{} holds no saved score run (mhwopt score saves one)", db_path)
                                   : fmt::format("{} has no score run {}; its runs are numbered up to {}", db_path, id, last));
    }
    run.config_source = header.getColumn(0).getString();
    run.config_text = header.getColumn(1).getString();
    run.catalogue_hash = header.getColumn(2).getString();
    run.scored = header.getColumn(3).getString();
    if (!header.isColumnNull(4)) run.weapon_slots = header.getColumn(4).getString();
    if (!header.isColumnNull(5)) run.decorations_hash = header.getColumn(5).getString();
    if (run.weapon_slots) run.decorations = db::match_stored_decorations(db, run.decorations_hash);
    SQLite::Statement results(db, "SELECT combination, score FROM score_result WHERE run = ? ORDER BY rank");
    results.bind(1, static_cast<int64_t>(id));
    while (results.executeStep()) {
        if (interrupted().load()) throw Interrupted{};
        run.results.emplace_back(static_cast<CombinationKey>(results.getColumn(0).getInt64()), results.getColumn(1).getDouble());
    }
    return run;
}

std::string set_description(const Catalogue& catalogue, const Positions& positions) {
    std::string text;
    for (Part part : kAllParts)
        text += (text.empty() ? "" : " / ") + catalogue.pieces(part)[positions[index_of(part)]].name;
    return text;
}

// `decorations`: those stored, placed when the run was decorated (its scores are then the best
// placement's, and so are the levels, slots and decorations shown beside them), meeting the
// store's generation requirements as `score` placed them.
ReportData report_from_run(const Catalogue& catalogue, const std::vector<Decoration>& decorations,
                           const std::vector<ResolvedFilters::Requirement>& requirements, const SavedRun& run,
                           const ReportOptions& options, const WarningSink& warn) {
    if (run.catalogue_hash != db::CatalogueStore::content_hash(catalogue))
        throw std::runtime_error(fmt::format("score run {} was made with another catalogue than the one stored now; "
                                             "its combination ids name other sets", run.id));
    const Config config = read_config_text(run.config_text, fmt::format("score run {} ({})", run.id, run.config_source), warn);
    const KeyCodec codec(catalogue);
    std::optional<WeaponSlots> weapon;
    if (run.weapon_slots) {
        weapon = parse_weapon_slots_text(*run.weapon_slots);
        if (!weapon) throw std::runtime_error(fmt::format("score run {}: its weapon_slots \"{}\" is not {}", run.id, *run.weapon_slots, kWeaponSlotsExpected));
        // Its levels and placements come from placing the stored decorations again: other ones
        // would show levels its scores did not come from.
        if (run.decorations == db::DecorationsMatch::Other)
            throw std::runtime_error(fmt::format(
                "score run {} placed other decorations than those stored now (imported after it): its levels and placements cannot be "
                "shown beside its scores. Rank again with mhwopt score --decorations, or query its scores (score_result)",
                run.id));
    }
    // Only a decorated run places decorations: the model's tables are not built for the others.
    const Scorer scorer(catalogue, config);
    std::optional<PlacementModel> model;
    std::optional<PlacementSolver> solver;
    if (weapon) {
        model.emplace(catalogue, scorer, decorations, requirements);
        solver.emplace(*model);
    }
    std::vector<std::string> placed;  // by shown set: the decorations text of a decorated run
    ReportData report;
    report.ranked_count = run.results.size();
    for (const auto& result : run.results) report.all_scores.push_back(result.second);

    // The skill columns are those the shown sets have, named and ordered as the results CSV does.
    std::vector<Totals> totals;
    std::vector<Positions> positions;
    std::vector<SkillId> skills;
    for (std::size_t i = 0; i < run.results.size() && i < options.top; ++i) {
        positions.push_back(codec.decode(run.results[i].first));
        if (weapon) {
            Totals raw;
            Placement placement;
            raw_totals_of(catalogue, positions.back(), *weapon, raw);
            solver->solve(raw, &placement);
            totals.push_back(placement.totals);
            totals.back().slots = raw.slots;  // all the set's slots and the weapon's, as the decorated CSV shows them
            placed.push_back(placement_text(model->decorations(), placement));
        } else {
            totals.push_back(totals_of(catalogue, positions.back()));
        }
        for (const SkillLevel& s : totals.back().skills)
            if (s.level > 0 && std::find(skills.begin(), skills.end(), s.skill) == skills.end()) skills.push_back(s.skill);
    }
    std::sort(skills.begin(), skills.end(), [&](SkillId a, SkillId b) {
        return capitalize_words(catalogue.skill_name(a)) < capitalize_words(catalogue.skill_name(b));
    });
    for (SkillId id : skills) {
        ReportSkill skill{capitalize_words(catalogue.skill_name(id)), std::nullopt};
        for (const auto& [name, rule] : config.skills)
            if (name == catalogue.skill_name(id)) skill.max = rule.max;
        report.skills.push_back(std::move(skill));
    }
    for (std::size_t i = 0; i < totals.size(); ++i) {
        ReportSet set;
        set.rank = i + 1;
        for (Part part : kAllParts) set.pieces[index_of(part)] = catalogue.pieces(part)[positions[i][index_of(part)]].name;
        set.levels.assign(skills.size(), 0);
        for (const SkillLevel& s : totals[i].skills) {
            const auto at = std::find(skills.begin(), skills.end(), s.skill);
            if (at != skills.end()) set.levels[static_cast<std::size_t>(at - skills.begin())] = s.level;
        }
        set.slots = totals[i].slots;
        set.defence = totals[i].defence;
        set.score = run.results[i].second;
        if (weapon) set.decorations = placed[i];
        set.identity = std::to_string(run.results[i].first);
        report.sets.push_back(std::move(set));
    }
    report.facts.push_back(fmt::format("database: {}", base_name(options.db_path)));
    report.facts.push_back(fmt::format("score run {}: {}, {}", run.id, base_name(run.config_source), run.scored));
    if (weapon)
        report.facts.push_back(run.weapon_slots->empty() ? std::string("decorations: the stored ones, placed best; no weapon slots")
                                                         : fmt::format("decorations: the stored ones, placed best; weapon slots {}", *run.weapon_slots));
    if (weapon && run.decorations == db::DecorationsMatch::Unknown)
        report.facts.push_back("this run predates schema version 8, which records the decorations a run placed: if others were imported "
                               "since, the levels shown are not those its scores came from");
    return report;
}

// How a run scored its sets, as the comparison's labels say it.
std::string scoring_text(const SavedRun& run) {
    if (!run.weapon_slots) return "without decorations";
    return run.weapon_slots->empty() ? "decorations placed, no weapon slots" : "decorations placed, weapon slots " + *run.weapon_slots;
}

// Two runs that scored differently (one with decorations, one without; other decorations) rank by
// different measures: compared all the same (what decorations change is worth seeing), but said,
// in the labels, in a note on the page and on stderr.
std::string scoring_difference(const SavedRun& before, const SavedRun& after) {
    if (before.weapon_slots.has_value() != after.weapon_slots.has_value())
        return fmt::format("run {} scored its sets without decorations and run {} with the best placement of the stored decorations: "
                           "their scores are on different scales, and the moves show what decorations change",
                           before.weapon_slots ? after.id : before.id, before.weapon_slots ? before.id : after.id);
    if (before.weapon_slots && before.decorations_hash && after.decorations_hash && *before.decorations_hash != *after.decorations_hash)
        return fmt::format("runs {} and {} placed different decorations (others were imported between them)", before.id, after.id);
    return {};
}

// The moves of the sets in either run's top N, described by their pieces.
ReportComparison compare_runs(const Catalogue& catalogue, const SavedRun& before, const SavedRun& after, std::size_t top,
                              const WarningSink& warn) {
    ReportComparison comparison;
    comparison.before_label = fmt::format("run {} ({}, {})", before.id, base_name(before.config_source), scoring_text(before));
    comparison.after_label = fmt::format("run {} ({}, {})", after.id, base_name(after.config_source), scoring_text(after));
    comparison.note = scoring_difference(before, after);
    if (!comparison.note.empty() && warn) warn(comparison.note);
    std::vector<std::string> before_ids, after_ids;
    for (const auto& r : before.results) before_ids.push_back(std::to_string(r.first));
    for (const auto& r : after.results) after_ids.push_back(std::to_string(r.first));
    const KeyCodec codec(catalogue);
    for (RankMove& move : compare_rankings(before_ids, after_ids)) {
        const bool near_top = (move.rank_before && *move.rank_before <= top) || (move.rank_after && *move.rank_after <= top);
        if (!near_top) continue;
        ReportComparison::Entry entry;
        entry.description = set_description(catalogue, codec.decode(std::stoull(move.identity)));
        if (move.rank_before) entry.score_before = before.results[*move.rank_before - 1].second;
        if (move.rank_after) entry.score_after = after.results[*move.rank_after - 1].second;
        comparison.entries.emplace(move.identity, std::move(entry));
        comparison.moves.push_back(std::move(move));
    }
    return comparison;
}

ReportData report_from_csv(const ReportOptions& options, const WarningSink& warn) {
    std::optional<Config> config;
    if (!options.config_path.empty()) config = read_config_file(options.config_path, warn);
    const std::string name = options.results_path == "-" ? "<stdin>" : options.results_path;
    InputFile file(options.results_path, name);
    std::istream& in = file.stream();
    const std::uint64_t size = file.size();

    ProgressBar progress(stderr, progress_mode_for(stderr, options.quiet), "Reading results", size, ProgressUnit::Bytes);
    ResultsReadOptions read;
    read.keep = options.top;
    read.config = config ? &*config : nullptr;
    read.on_rows = [&](std::size_t) {
        if (interrupted().load()) throw Interrupted{};
        const auto position = in.tellg();
        if (position >= 0) progress.update(static_cast<std::uint64_t>(position));
    };
    ReportData report = read_results_report(in, name, read, warn);
    progress.finish();
    report.facts.push_back("results: " + base_name(options.results_path));
    if (config) report.facts.push_back("config: " + base_name(options.config_path));
    return report;
}

int report(const ReportOptions& options) {
    install_interrupt_handler();
    const WarningSink warn = stderr_warnings();
    const int sources = !options.results_path.empty() + options.run.has_value() + !options.compare.empty();
    if (sources != 1) throw UsageError("give one source: a results CSV, --run N or --compare A B (with --db)");
    ResultsFile output(options.output_path);  // an unwritable path is reported before any reading
    ReportData data;
    std::optional<ReportComparison> comparison;
    if (!options.results_path.empty()) {
        data = report_from_csv(options, warn);
    } else {
        const db::ReaderLeftovers leftovers(options.db_path);  // destroyed after the connection closes
        db::Database database(options.db_path, db::OpenMode::ReadOnly);
        const db::CatalogueStore store(database);
        const Catalogue catalogue = store.read();
        const std::vector<Decoration> decorations = store.read_decorations(catalogue);
        const std::vector<ResolvedFilters::Requirement> requirements = db::stored_requirements(database, catalogue);
        if (options.run) {
            data = report_from_run(catalogue, decorations, requirements, read_saved_run(database, *options.run, options.db_path), options, warn);
        } else {
            const SavedRun before = read_saved_run(database, options.compare[0], options.db_path);
            const SavedRun after = read_saved_run(database, options.compare[1], options.db_path);
            data = report_from_run(catalogue, decorations, requirements, after, options, warn);
            comparison = compare_runs(catalogue, before, after, options.top, warn);
        }
    }
    data.title = options.title.empty() ? "Best armour sets" : options.title;
    write_html_report(output.stream(), data, comparison ? &*comparison : nullptr);
    output.commit();
    return kExitOk;
}

}  // namespace

void add_report_command(CLI::App& app, CommandAction& selected) {
    auto options = std::make_shared<ReportOptions>();
    CLI::App* cmd = app.add_subcommand("report", "Write one self-contained HTML page showing the best sets (no network, no script)");
    cmd->add_option("results", options->results_path, "Results CSV as `run` or `score` writes it (- for standard input)");
    cmd->add_option("--db", options->db_path, "Database file, for --run and --compare (opened read-only)")->capture_default_str();
    cmd->add_option("--run", options->run, "A saved score run of the database (its config gives the skill max values)");
    cmd->add_option("--compare", options->compare, "Two saved score runs, before and after: which sets moved")->expected(2);
    cmd->add_option("--config", options->config_path, "Scoring config JSON: skill max values for the bars, and scores when the CSV has none");
    cmd->add_option("-o,--output", options->output_path, "HTML file to write (default: standard output)");
    cmd->add_option("--top", options->top, fmt::format("How many sets to show in full, at most {} (the histogram counts all)", kMaxReportSets))
        ->check(CLI::Range(std::size_t{1}, kMaxReportSets))->capture_default_str();
    cmd->add_option("--title", options->title, "The page's title");
    cmd->add_flag("-q,--quiet", options->quiet, "No progress output");
    cmd->footer(
        "Examples:\n"
        "  mhwopt run equipment.csv best.csv config.json && mhwopt report best.csv --config config.json -o best.html\n"
        "  mhwopt score config.json -q | mhwopt report - --config config.json --top 10 > best.html\n"
        "  mhwopt report --db mhwopt.db --run 3 -o run3.html\n"
        "  mhwopt report --db mhwopt.db --compare 2 3 -o moves.html");
    cmd->callback([options, &selected] { selected = [options] { return report(*options); }; });
}

}  // namespace mhwopt::cli
