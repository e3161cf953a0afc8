// mhwopt score CONFIG.json: rank the stored combinations through SQL with a config, write the same
// CSV as `run`, and save the ranking in the database.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <optional>
#include <functional>

#include <fmt/format.h>

#include "cli/catalogue_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/output_options.hpp"
#include "core/placement.hpp"
#include "core/top_n.hpp"
#include "db/catalogue_store.hpp"
#include "db/database.hpp"
#include "db/decoration_provenance.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/read_only_guard.hpp"
#include "db/sqlite_failure.hpp"
#include "db/stored_ranking.hpp"
#include "db/stored_requirements.hpp"
#include "db/timestamp.hpp"
#include "db/writer_lock.hpp"
#include "io/config_reader.hpp"
#include "io/decorated_results_writer.hpp"
#include "io/progress.hpp"
#include "io/results_file.hpp"

namespace mhwopt::cli {

namespace {

struct ScoreOptions {
    std::string config_path;
    std::string output_path;  // empty: stdout
    std::string db_path = "mhwopt.db";
    std::string where;
    std::int64_t limit = 0;  // 0: the config's
    unsigned threads = default_thread_count();
    bool no_save = false;
    bool quiet = false;
    bool partial = false;  // rank an unfinished generation's rows
    OutputFormatOptions output_format;
    StoredDecorationOptions decorations;
};

// A decorated ranking's weapon slots; none for the plain one.
using DecoratedWeapon = std::optional<WeaponSlots>;

// Before ranking: there must be combinations, and the latest generation must have finished, or the
// ranking would silently be of a part of them (--partial asks for that, and is told how large).
void check_generation(SQLite::Database& db, const ScoreOptions& options, const Catalogue& catalogue) {
    if (db.execAndGet("SELECT NOT EXISTS (SELECT 1 FROM combination)").getInt())
        throw std::runtime_error(fmt::format("{}: no combinations stored; run mhwopt generate first", options.db_path));
    SQLite::Statement latest(db, "SELECT id, status, rows_written, expected_rows, top_n, filters FROM generation_run ORDER BY id DESC LIMIT 1");
    if (!latest.executeStep() || latest.getColumn(1).getString() == "finished") return;
    const std::int64_t run = latest.getColumn(0).getInt64();
    const std::string status = latest.getColumn(1).getString();
    const auto stored = static_cast<std::uint64_t>(latest.getColumn(2).getInt64());
    std::string expected;
    if (!latest.isColumnNull(3)) expected = with_thousands_separators(static_cast<std::uint64_t>(latest.getColumn(3).getInt64()));
    else if (!latest.isColumnNull(4)) expected = "up to " + with_thousands_separators(static_cast<std::uint64_t>(latest.getColumn(4).getInt64()));
    else if (latest.getColumn(5).getString().empty()) expected = with_thousands_separators(catalogue.combination_count());
    else expected = "an unknown number (those passing its filters)";
    const std::optional<long> writer = db::WriterLock::live_writer(options.db_path);
    const std::string state = writer ? fmt::format("is still being written (process {})", *writer)
                              : status == "running" ? std::string("was stopped before it finished")
                                                    : fmt::format("is {}", status);
    const std::string counts = fmt::format("{} of {} combinations stored", with_thousands_separators(stored), expected);
    if (!options.partial)
        throw std::runtime_error(fmt::format("{}: generation run {} {} ({}); ranking it would rank only those. Finish it with "
                                             "'mhwopt generate --resume', or rank what is stored with --partial",
                                             options.db_path, run, state, counts));
    std::fprintf(stderr, "warning: generation run %lld %s: ranking only the %s (--partial)\n", static_cast<long long>(run), state.c_str(),
                 counts.c_str());
}

// Before a saved ranking writes, the file must be sound where the write goes and where the ranking
// came from, without the second full read PRAGMA quick_check makes (1.5x the whole command): the
// ranking's scan has just read every page of the combination table, the bulk of the file, and
// SQLite reports a page it cannot parse there as damage; quick_check(TABLE) covers the other
// tables, the score tables written included. docs/database.md says what is left out.
void check_before_saving(db::Database& database, bool decorated) {
    std::vector<const char*> tables{"part", "piece", "skill", "piece_skill", "catalogue", "score_run", "score_result"};
    // A decorated ranking read the game's tables too.
    if (decorated) tables.insert(tables.end(), {"set_bonus", "set_bonus_rule", "skill_limit", "decoration", "decoration_skill"});
    for (const char* table : tables) {
        SQLite::Statement check(database, fmt::format("PRAGMA quick_check({})", table));
        std::string verdict;
        while (check.executeStep()) verdict += (verdict.empty() ? "" : "; ") + check.getColumn(0).getString();
        if (verdict != "ok")
            throw std::runtime_error(
                fmt::format("{}: the database file is damaged (quick_check: {}); mhwopt leaves it as it is", database.getFilename(), verdict));
    }
}

// Ranks the stored rows (db::rank_stored), writes the CSV, then saves the ranking on `database`.
int rank_and_save(db::Database& database, const ScoreOptions& options, const Config& config, const std::string& config_text,
                  const DecoratedWeapon& weapon, std::chrono::steady_clock::time_point started) {
    const Catalogue catalogue = db::CatalogueStore(database).read();
    // Those the SQL functions place: `import --decorations` stored them. --weapon-slots alone needs
    // none (its slots then score as empty, as run's do without --decorations).
    std::vector<Decoration> decorations;
    if (weapon) decorations = db::CatalogueStore(database).read_decorations(catalogue);
    if (options.decorations.decorations && decorations.empty())
        throw MissingStoredData(fmt::format("{}: no decorations are stored; import them first (mhwopt import EQUIPMENT --decorations FILE|all), "
                                            "or leave --decorations out",
                                            options.db_path));
    const std::string decorations_hash = weapon ? db::check_ranking_decorations(database, options.db_path, stderr_warnings()) : "";
    {
        // Refuse a bad --where before any thread starts.
        db::SqlFunctions::install(database.getHandle());
        db::ReadOnlyGuard guard(database, nullptr, std::nullopt);
        if (!options.where.empty()) guard.prepare(db::where_check_sql(options.where), "--where");
        guard.prepare(db::ranking_chunk_sql(options.where), "--where");
    }
    check_generation(database, options, catalogue);
    // Opened before ranking, as run does: an output that cannot be written is said at once.
    ResultsFile output(options.output_path);

    // A store generated with --require holds the best sets that meet the requirements; ranked with
    // decorations, each is placed to meet them, as run --require places them.
    std::vector<ResolvedFilters::Requirement> requirements;
    if (weapon) requirements = db::stored_requirements(database, catalogue);
    db::StoredRanking request;
    request.db_path = options.db_path;
    request.config = config;
    request.weapon = weapon;
    request.requirements = requirements;
    request.where = options.where;
    request.limit = config.limit;
    request.threads = options.threads;
    request.cancel = &interrupted();
    request.warn = stderr_warnings();
    const std::uint64_t stored = db::stored_combination_count(database);
    std::vector<Ranked> best;
    {
        ProgressBar progress(stderr, progress_mode_for(stderr, options.quiet), "Ranking combinations", stored);
        try {
            best = db::rank_stored(request, [&](std::uint64_t ranked) { progress.update(ranked); });
        } catch (const db::QueryStopped&) {
            throw Interrupted{};
        }
        if (interrupted().load()) throw Interrupted{};
        progress.finish();
    }

    const KeyCodec codec(catalogue);
    std::vector<Positions> rows;
    for (const Ranked& r : best) rows.push_back(codec.decode(r.key));
    // A --where nothing passes is an answer, not an error (exit 0, the header only), but said.
    if (best.empty())
        std::fprintf(stderr, "warning: no stored combination passed --where; the output holds the header only\n");
    // The original's CSV unless another format is asked for: `score` is a drop-in for `run`'s output.
    const RowFormat format = options.output_format.format(RowFormat::Csv);
    if (weapon) {
        // The rows' placements, as run finds them (the ranking kept only their scores): the same
        // model and an unbounded solve give the same placement and the same double.
        const Scorer scorer(catalogue, config);
        const PlacementModel model(catalogue, scorer, decorations, requirements);
        PlacementSolver solver(model);
        std::vector<DecoratedRow> placed(rows.size());
        Totals raw;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            placed[i].positions = rows[i];
            raw_totals_of(catalogue, rows[i], *weapon, raw);
            solver.solve(raw, &placed[i].placement);
        }
        if (format == RowFormat::Csv)
            write_decorated_results_csv(output.stream(), catalogue, decorations, *weapon, placed);
        else
            print_decorated_results([&](std::vector<std::string> names) { return RowPrinter(output.stream(), format, std::move(names)); },
                                    catalogue, decorations, *weapon, placed);
    } else if (format == RowFormat::Csv)
        write_results_csv(output.stream(), catalogue, rows);
    else
        print_results([&](std::vector<std::string> names) { return RowPrinter(output.stream(), format, std::move(names)); },
                      catalogue, RowSource(rows));
    output.commit();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    if (!options.no_save) {
        check_before_saving(database, weapon.has_value());
        SQLite::Transaction transaction = db::begin_write(database);
        SQLite::Statement run(database,
            "INSERT INTO score_run(config_source, config_text, where_clause, row_limit, catalogue_hash, scored, seconds, weapon_slots)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        run.bind(1, options.config_path);
        run.bind(2, config_text);
        if (!options.where.empty()) run.bind(3, options.where);  // else NULL
        run.bind(4, static_cast<std::int64_t>(config.limit));
        run.bind(5, db::CatalogueStore::content_hash(catalogue));
        run.bind(6, db::utc_timestamp());
        run.bind(7, seconds);
        if (const std::optional<std::string> slots = options.decorations.stored_text()) run.bind(8, *slots);  // else NULL
        run.exec();
        const std::int64_t run_id = database.getLastInsertRowid();
        if (weapon) db::record_score_decorations(database, run_id, decorations_hash);
        SQLite::Statement result(database, "INSERT INTO score_result(run, rank, combination, score) VALUES (?, ?, ?, ?)");
        for (std::size_t i = 0; i < best.size(); ++i) {
            result.bind(1, run_id);
            result.bind(2, static_cast<std::int64_t>(i + 1));
            result.bind(3, static_cast<std::int64_t>(best[i].key));
            result.bind(4, best[i].score);
            result.exec();
            result.reset();
        }
        db::commit(transaction, database);
        if (!options.quiet)
            std::fprintf(stderr, "Ranked the stored combinations in %.3f s; saved as score run %lld.\n", seconds, static_cast<long long>(run_id));
    } else if (!options.quiet) {
        std::fprintf(stderr, "Ranked the stored combinations in %.3f s.\n", seconds);
    }
    return kExitOk;
}


int score(const ScoreOptions& options) {
    install_interrupt_handler();
    const auto started = std::chrono::steady_clock::now();
    // A bad --weapon-slots is a usage error, said before any file is read.
    DecoratedWeapon weapon;
    if (options.decorations.decorated()) weapon = options.decorations.weapon();
    const std::string config_text = read_config_source(options.config_path);
    Config config = read_config_text(config_text, options.config_path, stderr_warnings());
    if (options.limit > 0) config.limit = options.limit;

    // The writer connection comes first: it brings the schema up to date. Its whole-file
    // quick_check is left out: the ranking's scan reads the combination table, and
    // check_before_saving the rest, before anything is written.
    const db::ReaderLeftovers leftovers(options.db_path);  // destroyed after every connection closed
    db::Database database(options.db_path, options.no_save ? db::OpenMode::ReadOnly : db::OpenMode::ReadWrite,
                          db::Database::kDefaultBusyTimeoutMs, std::nullopt, db::DamageCheck::Deferred);
    return db::with_error_context(database, {}, [&] { return rank_and_save(database, options, config, config_text, weapon, started); });
}

}  // namespace

void add_score_command(CLI::App& app, CommandAction& selected) {
    auto options = std::make_shared<ScoreOptions>();
    CLI::App* cmd = app.add_subcommand("score", "Rank the stored combinations with a config; same CSV as run");
    cmd->add_option("config", options->config_path, "Scoring config JSON (the original's format)")->required();
    cmd->add_option("-o,--output", options->output_path, "Output CSV (default: standard output)");
    cmd->add_option("--where", options->where,
                    "SQL condition on the columns of combination_detail (id, head..charm, defence, slots1..slots4) and the SQL functions");
    cmd->add_option("--limit", options->limit, "How many combinations to keep (overrides the config's limit)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{kMaxLimit}));
    cmd->add_option("--db", options->db_path, "Database file")->capture_default_str();
    cmd->add_option("--threads", options->threads, "Connections scanning shares of the ids in parallel (default: all cores)")
        ->check(CLI::Range(1u, 64u))->capture_default_str();
    cmd->add_flag("--partial", options->partial, "Rank the combinations of an unfinished generation (said on stderr; refused without it)");
    cmd->add_flag("--no-save", options->no_save, "Do not record the ranking (opens the database read-only)");
    cmd->add_flag("-q,--quiet", options->quiet, "No status output");
    options->output_format.add_to(*cmd, "the original's results CSV (the same rows as --csv)");
    options->decorations.add_to(*cmd);
    cmd->footer(
        "Examples:\n"
        "  mhwopt score config.json -o best.csv\n"
        "  mhwopt score other.json --where \"defence >= 700 AND skill(id, 'Attack Boost') >= 5\" --limit 20\n"
        "  mhwopt score config.json --decorations --weapon-slots 4,4,2 -o best.csv");
    cmd->callback([options, &selected] { selected = [options] { return score(*options); }; });
}

}  // namespace mhwopt::cli
