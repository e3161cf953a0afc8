// mhwopt generate: every combination (or those passing the filters) into the database, in batches,
// interruptible and resumable.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <SQLiteCpp/Statement.h>

#include "cli/catalogue_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/branch_and_bound.hpp"
#include "core/decorated_search.hpp"
#include "core/search.hpp"
#include "core/filters.hpp"
#include "io/filters_json.hpp"
#include "core/scorer.hpp"
#include "db/catalogue_store.hpp"
#include "db/combination_writer.hpp"
#include "db/database.hpp"
#include "db/stored_ranking.hpp"
#include "db/decoration_provenance.hpp"
#include "db/key_enumeration.hpp"
#include "db/sqlite_failure.hpp"
#include "db/timestamp.hpp"
#include "db/writer_lock.hpp"
#include "io/config_reader.hpp"
#include "io/progress.hpp"

namespace mhwopt::cli {

namespace {

struct GenerateOptions {
    std::string db_path = "mhwopt.db";
    std::uint64_t batch_size = 1000000;
    bool resume = false;
    bool replace = false;
    bool quiet = false;
    FilterOptions filters;
    std::optional<std::uint64_t> top;
    std::string config_path;
    unsigned threads = default_thread_count();
    StoredDecorationOptions decorations;
    JournalOption journal;
};

struct RunRow {
    std::int64_t id;
    std::string catalogue_hash;
    std::string filters_text;
    std::string filters_json;
    std::int64_t rows_written;
    std::int64_t next_key;
    std::string status;
    std::optional<std::int64_t> top_n;
    std::string config_text;
    std::optional<std::string> weapon_slots;  // NULL: not decorated (every run before schema 7)
};

std::optional<RunRow> latest_run(SQLite::Database& db) {
    SQLite::Statement select(db,
        "SELECT id, catalogue_hash, filters, filters_json, rows_written, next_key, status, top_n, coalesce(config_text, ''), weapon_slots"
        " FROM generation_run ORDER BY id DESC LIMIT 1");
    if (!select.executeStep()) return std::nullopt;
    auto text = [&](int column) { return select.getColumn(column).getString(); };
    auto int64 = [&](int column) { return select.getColumn(column).getInt64(); };
    RunRow row{int64(0), text(1), text(2), text(3), int64(4), int64(5), text(6), std::nullopt, text(8), std::nullopt};
    if (!select.isColumnNull(7)) row.top_n = int64(7);
    if (!select.isColumnNull(9)) row.weapon_slots = text(9);
    return row;
}


// The table must hold exactly the run's rows: one per combination, none twice, none missing.
void check_count(SQLite::Database& db, std::int64_t expected, const std::string& what, bool quiet) {
    const std::int64_t stored = static_cast<std::int64_t>(db::stored_combination_count(db));
    if (stored != expected)
        throw std::runtime_error(fmt::format("{}: the combination table holds {} rows, expected {}", db::database_label(db.getHandle()),
                                             with_thousands_separators(static_cast<std::uint64_t>(stored)),
                                             with_thousands_separators(static_cast<std::uint64_t>(expected))));
    if (!quiet)
        std::fprintf(stderr, "Checked: %s combinations stored, exactly %s.\n",
                     with_thousands_separators(static_cast<std::uint64_t>(stored)).c_str(), what.c_str());
}

// What the checked count means. `stored` is what the run ended with: with --top it is fewer than N
// when fewer sets pass, and the text then says so rather than claim a best N.
// A decorated run (`weapon_slots` set) says so: its sets are ranked, and filtered, with decorations.
std::string stored_set_description(const Catalogue& catalogue, bool everything, bool filtered, std::optional<std::int64_t> top,
                                   std::int64_t stored, const std::optional<std::string>& weapon_slots = std::nullopt) {
    const std::string all = with_thousands_separators(catalogue.combination_count());
    if (top) {
        const std::string n = with_thousands_separators(static_cast<std::uint64_t>(*top));
        const std::string decorated =
            !weapon_slots ? "" : fmt::format(", each ranked by its best placement of the stored decorations{}",
                                             weapon_slots->empty() ? "" : " with weapon slots " + *weapon_slots);
        if (stored < *top)
            return (filtered ? fmt::format("every combination that passes the filters (fewer than the {} asked for)", n)
                             : fmt::format("every combination ({} asked for)", n)) + decorated;
        return (filtered ? fmt::format("the best {} of those that pass the filters (of {} combinations)", n, all) : fmt::format("the best {} of the {}", n, all)) +
               decorated;
    }
    if (everything) return fmt::format("the product of the part sizes ({})", part_sizes_text(catalogue, " x "));
    return fmt::format("those of the {} that pass the filters", all);
}

// A filter no set passes would store nothing (and --replace would have dropped the stored sets for
// it): refused before anything is written, with run's explanation.
void refuse_unsatisfiable(const Catalogue& catalogue, const Filters& filters, unsigned threads) {
    if (filters.empty()) return;
    const ResolvedFilters resolved = resolve_filters(catalogue, filters);
    SearchRequest request;
    request.limit = 1;
    request.threads = threads;
    request.cancel = &interrupted();
    const Scorer any_order(catalogue, Config{});
    const bool some_pass = !branch_and_bound_top_n(catalogue, any_order, request, resolved).empty();
    if (interrupted().load()) throw Interrupted{};
    if (some_pass) return;
    const FilterDiagnosis diagnosis = diagnose_filters(catalogue, resolved, threads, &interrupted());
    if (interrupted().load()) throw Interrupted{};
    throw std::runtime_error("no set satisfies the filters:\n" + explain(diagnosis));
}

// What a run stores: the sets passing its filters, and with --top only the best N by its config,
// with decorations (weapon_slots set, as generation_run.weapon_slots holds it) each set ranked and
// filtered by its best placement of the stored decorations.
struct Selection {
    Filters filters;
    std::optional<std::int64_t> top;
    std::string config_source;
    std::string config_text;
    std::optional<std::string> weapon_slots;
    bool decorations_required = false;  // --decorations given: the stored decorations must exist
};

Selection selection_from_options(const GenerateOptions& options) {
    Selection selection;
    selection.filters = options.filters.parse();
    if (options.top && options.config_path.empty())
        throw UsageError("generate --top N needs --config CONFIG.json: the scoring that decides which sets are the best");
    if (!options.top && !options.config_path.empty())
        throw UsageError("generate --config is used only with --top N (without it every combination is stored)");
    if (!options.top && options.decorations.decorated())
        throw UsageError(fmt::format("generate {} needs --top N and --config: without --top every combination is stored, whatever its "
                                     "decorations, and filters that count decorations need --top",
                                     options.decorations.decorations ? "--decorations" : "--weapon-slots"));
    selection.weapon_slots = options.decorations.stored_text();  // throws UsageError for bad --weapon-slots
    selection.decorations_required = options.decorations.decorations;
    if (options.top) {
        selection.top = static_cast<std::int64_t>(*options.top);
        selection.config_source = options.config_path;
        selection.config_text = read_config_source(options.config_path);
    }
    return selection;
}

bool same_selection(const Selection& a, const Selection& b) {
    return describe_filters(a.filters) == describe_filters(b.filters) && a.top == b.top && a.config_text == b.config_text &&
           a.weapon_slots == b.weapon_slots;
}

bool asked_nothing(const Selection& asked) { return asked.filters.empty() && !asked.top && !asked.weapon_slots; }

Selection stored_selection(const RunRow& run) {
    return Selection{filters_from_json(run.filters_json), run.top_n, "the config saved with run " + std::to_string(run.id), run.config_text,
                     run.weapon_slots};
}

// How a run's decoration options read in its `filters` text.
std::string decoration_options_text(const Selection& selection) {
    if (!selection.weapon_slots) return {};
    std::string text = selection.decorations_required ? "--decorations" : "";
    if (!selection.weapon_slots->empty()) text += (text.empty() ? "" : " ") + std::string("--weapon-slots ") + *selection.weapon_slots;
    return text;
}

// What --replace drops, inside the caller's transaction.
void drop_combinations(SQLite::Database& db) {
    db::with_error_context(db, "dropping the combinations", [&] { db.exec("DELETE FROM combination"); });
    db::with_error_context(db, "closing unfinished runs",
                           [&] { db.exec("UPDATE generation_run SET status = 'abandoned' WHERE status IN ('running', 'interrupted')"); });
}

// A new run row (after dropping what --replace drops), in one transaction.
std::int64_t start_run(SQLite::Database& db, const std::string& hash, const Selection& selection, const GenerateOptions& options) {
    SQLite::Transaction transaction = db::begin_write(db);
    if (options.replace) drop_combinations(db);
    SQLite::Statement insert(db,
        "INSERT INTO generation_run(catalogue_hash, filters, filters_json, batch_size, started, status, top_n, config_text, weapon_slots,"
        " decorations_hash) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)");
    std::string described = describe_filters(selection.filters);
    if (selection.top) described += fmt::format("{}--top {} --config {}", described.empty() ? "" : " ", *selection.top, selection.config_source);
    const std::string decorated = decoration_options_text(selection);
    if (!decorated.empty()) described += (described.empty() ? "" : " ") + decorated;
    insert.bind(1, hash);
    insert.bind(2, described);
    insert.bind(3, filters_to_json(selection.filters));
    insert.bind(4, static_cast<std::int64_t>(options.batch_size));
    insert.bind(5, db::utc_timestamp());
    if (selection.top) {
        insert.bind(6, static_cast<std::int64_t>(*selection.top));
        insert.bind(7, selection.config_text);
    }  // else both stay NULL
    if (selection.weapon_slots) {
        insert.bind(8, *selection.weapon_slots);
        // In the transaction, under the writer lock import also takes: the decorations searched with.
        insert.bind(9, db::stored_decorations_hash(db));
    }
    insert.exec();
    const std::int64_t run_id = db.getLastInsertRowid();
    db::commit(transaction, db);
    return run_id;
}

// The decorations a decorated selection places: those `import --decorations` stored, as the SQL
// functions decorated_score and placement place them (none stored: the weapon's slots stay empty).
std::vector<Decoration> stored_decorations(db::Database& db, const Catalogue& catalogue, const Selection& selection,
                                           const GenerateOptions& options) {
    if (!selection.weapon_slots) return {};
    std::vector<Decoration> decorations = db::CatalogueStore(db).read_decorations(catalogue);
    if (decorations.empty() && selection.decorations_required)
        throw MissingStoredData(fmt::format("{}: no decorations are stored; import them first (mhwopt import EQUIPMENT --decorations FILE|all), "
                                            "or leave --decorations out",
                                            options.db_path));
    return decorations;
}

// The best N sets by their best placement, in key order. Unlike the plain --top, which streams the
// best N in memory independent of N, this holds them: the decorated search keeps its N best (one
// list a thread), O(N) memory. A set none of whose placements meets a requirement is no result, and
// when no set is left the filters are explained with decorations counted (run's words). On Ctrl-C it
// returns early with interrupted() set: the caller decides what that means for the run.
std::vector<CombinationKey> decorated_top_keys(const Catalogue& catalogue, const std::vector<Decoration>& decorations, const Selection& selection,
                                               const GenerateOptions& options) {
    const Scorer scorer(catalogue, read_config_text(selection.config_text, selection.config_source, [](const std::string&) {}));
    const ResolvedFilters resolved = resolve_filters(catalogue, selection.filters);
    const PlacementModel model(catalogue, scorer, decorations, resolved.requirements);
    const DecoratedProblem problem{catalogue, model, parse_weapon_slots_option(*selection.weapon_slots), resolved};
    SearchRequest request;
    request.limit = static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(*selection.top), catalogue.combination_count()));
    request.threads = options.threads;
    request.cancel = &interrupted();
    auto search = std::async(std::launch::async, [&] { return decorated_branch_and_bound_top_n(problem, request); });
    // The search has no measure of its progress: a line with the time taken shows it is alive.
    const bool redraw = progress_mode_for(stderr, options.quiet) == ProgressMode::Redraw;
    const auto started = std::chrono::steady_clock::now();
    std::string shown;
    while (search.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
        if (!redraw) continue;
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
        const std::string text = fmt::format("Searching for the best combinations with decorations... {} s", seconds);
        if (text == shown) continue;
        std::fprintf(stderr, "\r%-*s", static_cast<int>(shown.size()), text.c_str());
        std::fflush(stderr);
        shown = text;
    }
    if (!shown.empty()) std::fprintf(stderr, "\r%-*s\r", static_cast<int>(shown.size()), "");
    std::vector<Ranked> best = search.get();
    if (interrupted().load()) return {};
    if (best.empty() && !selection.filters.empty())
        throw std::runtime_error("no set satisfies the filters:\n" + explain(diagnose_decorated(problem), resolved));
    std::vector<CombinationKey> keys(best.size());
    std::transform(best.begin(), best.end(), keys.begin(), [](const Ranked& r) { return r.key; });
    std::sort(keys.begin(), keys.end());
    return keys;
}

// Offers the run's keys from `start` to the writer and finishes the run; `stored_before` rows were
// stored before `start` (by the interrupted run this one resumes). `decorated`: the keys of a
// decorated selection, in key order (decorated_top_keys).
void write_selection(const Catalogue& catalogue, const Selection& selection, CombinationKey start, std::uint64_t stored_before,
                     db::CombinationWriter& writer, const GenerateOptions& options, const std::vector<CombinationKey>* decorated = nullptr) {
    const ResolvedFilters resolved = resolve_filters(catalogue, selection.filters);
    const std::uint64_t total = catalogue.combination_count();
    const ProgressMode mode = progress_mode_for(stderr, options.quiet);
    if (decorated) {
        ProgressBar progress(stderr, mode, "Storing the best combinations", decorated->size());
        std::uint64_t offered = 0;
        // Keys below `start` were stored before an interruption: the same search finds them again.
        for (auto key = std::lower_bound(decorated->begin(), decorated->end(), start); key != decorated->end(); ++key) {
            writer.accept(*key);
            if (++offered % 4096 == 0) progress.update(static_cast<std::uint64_t>(key - decorated->begin()) + 1);
        }
        writer.finish(total, decorated->size());
        progress.finish();
        return;
    }
    if (!selection.top) {
        ProgressBar progress(stderr, mode, "Creating combinations", total);
        const bool everything = db::allows_everything(resolved);
        // Filtered, the walk stores a part of the ids it passes: its place in the id range says how
        // far it is, the rows stored what it did (shown as ids, four pinned pieces of the whole game,
        // 100,172 rows, read "done, 1,045,437,046,209,040").
        writer.on_rows([&](CombinationKey last, std::uint64_t rows) {
            if (everything) progress.update(last + 1);
            else progress.update(last + 1, stored_before + rows);
        });
        db::enumerate_keys(catalogue, resolved, start, writer);
        writer.finish(total, everything ? std::optional<std::uint64_t>(total) : std::nullopt);
        if (!everything) progress.update(total, stored_before + writer.rows_written());
        progress.finish();
        return;
    }
    // The N-th best score is found first (counting passes, memory independent of N), then the best N
    // stream in key order; a resumed run finds the same keys and skips those already stored.
    const Scorer scorer(catalogue, read_config_text(selection.config_text, selection.config_source, [](const std::string&) {}));
    const auto wanted = static_cast<std::uint64_t>(*selection.top);
    ProgressBar progress(stderr, mode, "Storing the best combinations", wanted);
    std::uint64_t found = 0;
    // Until the first row, the search's own measure: its pass and the share of the pass's units done.
    SearchControl control;
    control.cancel = &interrupted();
    std::string shown;
    control.progress = [&](unsigned pass, double done) {
        if (mode != ProgressMode::Redraw || found > 0) return;
        const std::string text = fmt::format("Searching for the best combinations... pass {}, {}%", pass, static_cast<int>(done * 100));
        if (text == shown) return;
        std::fprintf(stderr, "\r%-*s", static_cast<int>(shown.size()), text.c_str());
        std::fflush(stderr);
        shown = text;
    };
    for_each_in_top_n(catalogue, scorer, resolved, static_cast<std::size_t>(wanted), options.threads, [&](CombinationKey key, double) {
        if (++found == 1 && !shown.empty()) std::fprintf(stderr, "\r%-*s\r", static_cast<int>(shown.size()), "");
        if (key >= start) writer.accept(key);
        if (found % 4096 == 0) progress.update(found);
    }, nullptr, CountingTuning{}, control);
    writer.finish(total, found);
    progress.finish();
}

int generate_into(db::Database& db, const Selection& asked, const GenerateOptions& options) {
    const Catalogue catalogue = db::CatalogueStore(db).read();
    // Unknown pieces, bad configs and missing decorations are reported before anything is written.
    resolve_filters(catalogue, asked.filters);
    if (asked.top) read_config_text(asked.config_text, asked.config_source, stderr_warnings());
    std::vector<Decoration> decorations = stored_decorations(db, catalogue, asked, options);
    const std::string hash = db::CatalogueStore::content_hash(catalogue);
    const std::optional<RunRow> latest = latest_run(db);
    const bool unfinished = latest && (latest->status == "running" || latest->status == "interrupted") && latest->catalogue_hash == hash;

    std::int64_t run_id = 0;
    CombinationKey start = 0;
    std::uint64_t stored_before = 0;
    Selection selection = asked;
    std::optional<std::vector<CombinationKey>> decorated_keys;
    if (options.resume && unfinished) {
        selection = stored_selection(*latest);
        if (!asked_nothing(asked) && !same_selection(asked, selection))
            throw UsageError(fmt::format("--resume continues run {} with its own selection ({}); leave the filters out, or use --replace to start over",
                                         latest->id, latest->filters_text.empty() ? "every combination" : latest->filters_text));
        run_id = latest->id;
        start = static_cast<CombinationKey>(latest->next_key);
        stored_before = static_cast<std::uint64_t>(latest->rows_written);
        db::check_resume_decorations(db, run_id, options.db_path, stderr_warnings());
        if (selection.weapon_slots && !asked.weapon_slots) decorations = stored_decorations(db, catalogue, selection, options);
        if (!options.quiet)
            std::fprintf(stderr, "Resuming run %lld after %s combinations.\n", static_cast<long long>(run_id),
                         with_thousands_separators(static_cast<std::uint64_t>(latest->rows_written)).c_str());
    } else {
        const std::int64_t stored = static_cast<std::int64_t>(db::stored_combination_count(db));
        if (options.resume && latest && latest->status == "finished" && latest->catalogue_hash == hash && !options.replace &&
            (asked_nothing(asked) || same_selection(asked, stored_selection(*latest)))) {
            db::check_resume_decorations(db, latest->id, options.db_path, stderr_warnings());
            if (!options.quiet) std::fprintf(stderr, "Nothing to resume: run %lld finished.\n", static_cast<long long>(latest->id));
            const Selection done = stored_selection(*latest);
            const bool everything = !done.top && db::allows_everything(resolve_filters(catalogue, done.filters));
            check_count(db, latest->rows_written,
                        stored_set_description(catalogue, everything, !done.filters.empty(), done.top, latest->rows_written, done.weapon_slots),
                        options.quiet);
            return kExitOk;
        }
        if ((stored > 0 || unfinished) && !options.replace)
            throw std::runtime_error(fmt::format(
                "{}: already holds {} combinations (run {}, {}); use --resume to continue an interrupted run, or --replace to generate again",
                options.db_path, with_thousands_separators(static_cast<std::uint64_t>(stored)), latest ? latest->id : 0,
                latest ? latest->status : "no run recorded"));
        if (selection.weapon_slots) {
            // Searched before the run row exists: an unsatisfiable filter is refused, and Ctrl-C
            // stops, with nothing written (--replace drops nothing either).
            decorated_keys = decorated_top_keys(catalogue, decorations, selection, options);
            if (interrupted().load()) throw Interrupted{};
        } else {
            refuse_unsatisfiable(catalogue, selection.filters, options.threads);
        }
        run_id = start_run(db, hash, selection, options);
    }

    db::CombinationWriter writer(db, run_id, options.batch_size, start, &interrupted());
    try {
        if (selection.weapon_slots && !decorated_keys) {  // a resumed run: the same search again
            decorated_keys = decorated_top_keys(catalogue, decorations, selection, options);
            if (interrupted().load()) throw db::GenerationCancelled{};
        }
        write_selection(catalogue, selection, start, stored_before, writer, options, decorated_keys ? &*decorated_keys : nullptr);
    } catch (const db::GenerationCancelled&) {
        SQLite::Transaction mark = db::begin_write(db);
        SQLite::Statement update(db, "UPDATE generation_run SET status = 'interrupted' WHERE id = ?");
        update.bind(1, run_id);
        update.exec();
        db::commit(mark, db);
        throw Interrupted{};
    }

    SQLite::Statement expected(db, "SELECT expected_rows FROM generation_run WHERE id = ?");
    expected.bind(1, run_id);
    expected.executeStep();
    const bool everything = !selection.top && db::allows_everything(resolve_filters(catalogue, selection.filters));
    const std::int64_t expected_rows = expected.getColumn(0).getInt64();
    check_count(db, expected_rows,
                stored_set_description(catalogue, everything, !selection.filters.empty(), selection.top, expected_rows, selection.weapon_slots),
                options.quiet);
    return kExitOk;
}

int generate(const GenerateOptions& options) {
    install_interrupt_handler();
    const Selection asked = selection_from_options(options);
    db::Database database(options.db_path, db::OpenMode::ReadWrite, db::Database::kDefaultBusyTimeoutMs, options.journal.mode());
    // Held until the end: the run's rows and run row are this process's alone (another generate,
    // --resume or --replace, is refused while it lives).
    const db::WriterLock lock(options.db_path);
    return db::with_error_context(database, {}, [&] { return generate_into(database, asked, options); });
}

}  // namespace

void add_generate_command(CLI::App& app, CommandAction& selected) {
    auto options = std::make_shared<GenerateOptions>();
    CLI::App* cmd = app.add_subcommand("generate", "Store every combination of the imported catalogue (or the best N, or those passing filters)");
    cmd->add_option("--db", options->db_path, "Database file")->capture_default_str();
    cmd->add_option("--batch-size", options->batch_size, "Combinations a transaction (what an interruption may lose)")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))->capture_default_str();
    cmd->add_flag("--resume", options->resume, "Continue an interrupted run (simply generates when there is none)");
    cmd->add_flag("--replace", options->replace, "Drop the stored combinations first (in the first transaction)");
    cmd->add_option("--top", options->top,
                    "Store only the best N combinations by --config (exact; memory independent of N, except with --decorations)")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
    cmd->add_option("--config", options->config_path, "With --top: the scoring config JSON that ranks the combinations");
    cmd->add_option("--threads", options->threads, "Search threads for --top (default: all cores)")->check(CLI::Range(1u, 64u))->capture_default_str();
    options->filters.add_to(*cmd);
    options->decorations.add_to(*cmd);
    cmd->get_option("--decorations")
        ->description("With --top: rank (and filter) each set by its best placement of the decorations stored by 'mhwopt import "
                      "--decorations'; this search holds the N best in memory");
    cmd->get_option("--weapon-slots")->description("With --top: the weapon's slot levels, L[,L[,L]] (1-4), filled with the stored decorations too");
    options->journal.add_to(*cmd);
    cmd->add_flag("-q,--quiet", options->quiet, "No progress output");
    cmd->footer(
        "Ctrl-C rolls back the current batch and exits with 130; --resume continues from the last commit.\n"
        "Examples:\n"
        "  mhwopt generate\n"
        "  mhwopt generate --resume\n"
        "  mhwopt generate --replace --top 100000 --config config.json --require \"Attack Boost>=5\"\n"
        "  mhwopt generate --replace --top 15 --config config.json --decorations --weapon-slots 4,4,2 --require \"Weakness Exploit>=3\"\n"
        "  mhwopt generate --replace --min-defence 700 --require \"Attack Boost>=5\" --exclude \"Kaiser Crown Beta +\"");
    cmd->callback([options, &selected] { selected = [options] { return generate(*options); }; });
}

}  // namespace mhwopt::cli
