// mhwopt generate: every combination (or those passing the filters) into the database, in batches,
// interruptible and resumable.
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/filters.hpp"
#include "db/catalogue_store.hpp"
#include "db/combination_writer.hpp"
#include "db/database.hpp"
#include "db/key_enumeration.hpp"
#include "db/sqlite_error.hpp"
#include "db/statement.hpp"
#include "db/transaction.hpp"
#include "io/progress.hpp"

namespace mhwopt::cli {

namespace {

struct GenerateOptions {
    std::string db_path = "mhwopt.db";
    std::uint64_t batch_size = 1000000;
    bool resume = false;
    bool replace = false;
    bool quiet = false;
    std::optional<int> min_defence;
    std::vector<std::string> requirements;
    std::vector<std::string> excluded;
    std::vector<std::string> pinned;
};

struct RunRow {
    std::int64_t id;
    std::string catalogue_hash;
    std::string filters_text;
    std::string filters_json;
    std::int64_t rows_written;
    std::int64_t next_key;
    std::string status;
};

std::optional<RunRow> latest_run(sqlite3* db) {
    db::Statement select(db,
        "SELECT id, catalogue_hash, filters, filters_json, rows_written, next_key, status FROM generation_run ORDER BY id DESC LIMIT 1");
    if (!select.step()) return std::nullopt;
    return RunRow{select.int64(0), select.text(1), select.text(2), select.text(3), select.int64(4), select.int64(5), select.text(6)};
}

std::string filters_to_json(const Filters& filters) {
    nlohmann::json json = nlohmann::json::object();
    if (filters.min_defence) json["min_defence"] = *filters.min_defence;
    json["require"] = nlohmann::json::array();
    for (const auto& r : filters.requirements) json["require"].push_back(nlohmann::json{{"skill", r.skill}, {"min_level", r.min_level}});
    json["exclude"] = filters.excluded;
    json["pin"] = filters.pinned;
    return json.dump();
}

Filters filters_from_json(const std::string& text) {
    const nlohmann::json json = nlohmann::json::parse(text);
    Filters filters;
    if (json.contains("min_defence")) filters.min_defence = json["min_defence"].get<int>();
    for (const auto& r : json["require"]) filters.requirements.push_back({r["skill"].get<std::string>(), r["min_level"].get<int>()});
    filters.excluded = json["exclude"].get<std::vector<std::string>>();
    filters.pinned = json["pin"].get<std::vector<std::string>>();
    return filters;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string product_text(const Catalogue& catalogue) {
    std::string text;
    for (Part part : kAllParts) text += fmt::format("{}{}", text.empty() ? "" : " x ", catalogue.pieces(part).size());
    return text;
}

// The table must hold exactly the run's rows: one per combination, none twice, none missing.
void check_count(sqlite3* db, const Catalogue& catalogue, bool everything, std::int64_t expected, bool quiet) {
    const std::int64_t stored = db::query_int64(db, "SELECT count(*) FROM combination");
    if (stored != expected)
        throw std::runtime_error(fmt::format("{}: the combination table holds {} rows, expected {}", db::database_label(db),
                                             with_thousands_separators(static_cast<std::uint64_t>(stored)),
                                             with_thousands_separators(static_cast<std::uint64_t>(expected))));
    if (quiet) return;
    if (everything)
        std::fprintf(stderr, "Checked: %s combinations stored, exactly the product of the part sizes (%s).\n",
                     with_thousands_separators(static_cast<std::uint64_t>(stored)).c_str(), product_text(catalogue).c_str());
    else
        std::fprintf(stderr, "Checked: %s combinations stored, exactly those of %s that pass the filters.\n",
                     with_thousands_separators(static_cast<std::uint64_t>(stored)).c_str(),
                     with_thousands_separators(catalogue.combination_count()).c_str());
}

Filters filters_from_options(const GenerateOptions& options) {
    Filters filters;
    filters.min_defence = options.min_defence;
    for (const std::string& text : options.requirements) filters.requirements.push_back(parse_requirement(text));
    filters.excluded = options.excluded;
    filters.pinned = options.pinned;
    return filters;
}

int generate(const GenerateOptions& options) {
    install_interrupt_handler();
    const Filters asked = filters_from_options(options);
    db::Database database(options.db_path, db::OpenMode::ReadWrite);
    sqlite3* db = database.handle();
    const Catalogue catalogue = db::CatalogueStore(db).read();
    resolve_filters(catalogue, asked);  // unknown pieces are reported before anything is written
    const std::string hash = db::CatalogueStore::content_hash(catalogue);
    const std::optional<RunRow> latest = latest_run(db);
    const bool unfinished = latest && (latest->status == "running" || latest->status == "interrupted") && latest->catalogue_hash == hash;

    std::int64_t run_id = 0;
    CombinationKey start = 0;
    Filters filters = asked;
    if (options.resume && unfinished) {
        filters = filters_from_json(latest->filters_json);
        if (!asked.empty() && describe_filters(asked) != describe_filters(filters))
            throw UsageError(fmt::format("--resume continues run {} with its own filters ({}); leave the filters out, or use --replace to start over",
                                         latest->id, latest->filters_text.empty() ? "none" : latest->filters_text));
        run_id = latest->id;
        start = static_cast<CombinationKey>(latest->next_key);
        if (!options.quiet)
            std::fprintf(stderr, "Resuming run %lld after %s combinations.\n", static_cast<long long>(run_id),
                         with_thousands_separators(static_cast<std::uint64_t>(latest->rows_written)).c_str());
    } else {
        const std::int64_t stored = db::query_int64(db, "SELECT count(*) FROM combination");
        if (options.resume && latest && latest->status == "finished" && latest->catalogue_hash == hash &&
            (asked.empty() || describe_filters(asked) == latest->filters_text) && !options.replace) {
            if (!options.quiet) std::fprintf(stderr, "Nothing to resume: run %lld finished.\n", static_cast<long long>(latest->id));
            const Filters done = filters_from_json(latest->filters_json);
            check_count(db, catalogue, db::allows_everything(resolve_filters(catalogue, done)), latest->rows_written, options.quiet);
            return kExitOk;
        }
        if ((stored > 0 || unfinished) && !options.replace)
            throw std::runtime_error(fmt::format(
                "{}: already holds {} combinations (run {}, {}); use --resume to continue an interrupted run, or --replace to generate again",
                options.db_path, with_thousands_separators(static_cast<std::uint64_t>(stored)), latest ? latest->id : 0,
                latest ? latest->status : "no run recorded"));
        db::Transaction transaction(db);
        if (options.replace) {
            db::execute(db, "DELETE FROM combination", "dropping the combinations");
            db::execute(db, "UPDATE generation_run SET status = 'abandoned' WHERE status IN ('running', 'interrupted')", "closing unfinished runs");
        }
        db::Statement insert(db,
            "INSERT INTO generation_run(catalogue_hash, filters, filters_json, batch_size, started, status)"
            " VALUES (?, ?, ?, ?, ?, 'running')");
        insert.bind(1, hash).bind(2, describe_filters(filters)).bind(3, filters_to_json(filters))
            .bind(4, static_cast<std::int64_t>(options.batch_size)).bind(5, utc_now()).step();
        run_id = sqlite3_last_insert_rowid(db);
        transaction.commit();
    }

    const ResolvedFilters resolved = resolve_filters(catalogue, filters);
    const bool everything = db::allows_everything(resolved);
    const std::uint64_t total = catalogue.combination_count();
    ProgressLine progress(stderr, progress_mode_for(stderr, options.quiet), "Creating combinations...", total);
    db::CombinationWriter writer(db, run_id, options.batch_size, start, &interrupted());
    writer.on_rows([&](CombinationKey last) { progress.update(last + 1); });
    try {
        db::enumerate_keys(catalogue, resolved, start, writer);
        writer.finish(total, everything ? std::optional<std::uint64_t>(total) : std::nullopt);
    } catch (const db::GenerationCancelled&) {
        db::Transaction mark(db);
        db::Statement update(db, "UPDATE generation_run SET status = 'interrupted' WHERE id = ?");
        update.bind(1, run_id).step();
        mark.commit();
        throw Interrupted{};
    }
    progress.finish();

    db::Statement expected(db, "SELECT expected_rows FROM generation_run WHERE id = ?");
    expected.bind(1, run_id).step();
    check_count(db, catalogue, everything, expected.int64(0), options.quiet);
    return kExitOk;
}

}  // namespace

void add_generate_command(CLI::App& app, CommandAction& selected) {
    auto options = std::make_shared<GenerateOptions>();
    CLI::App* cmd = app.add_subcommand("generate", "Store every combination of the imported catalogue (or those passing filters)");
    cmd->add_option("--db", options->db_path, "Database file")->capture_default_str();
    cmd->add_option("--batch-size", options->batch_size, "Combinations a transaction (what an interruption may lose)")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))->capture_default_str();
    cmd->add_flag("--resume", options->resume, "Continue an interrupted run (simply generates when there is none)");
    cmd->add_flag("--replace", options->replace, "Drop the stored combinations first (in the first transaction)");
    cmd->add_option("--min-defence", options->min_defence, "Store only sets with at least this defence")->check(CLI::NonNegativeNumber);
    cmd->add_option("--require", options->requirements, "Store only sets with \"SKILL>=LEVEL\" (repeatable)");
    cmd->add_option("--exclude", options->excluded, "Leave out this piece (repeatable)");
    cmd->add_option("--pin", options->pinned, "Wear this piece in its part (repeatable, one a part)");
    cmd->add_flag("-q,--quiet", options->quiet, "No progress output");
    cmd->footer(
        "Ctrl-C rolls back the current batch and exits with 130; --resume continues from the last commit.\n"
        "Examples:\n"
        "  mhwopt generate\n"
        "  mhwopt generate --resume\n"
        "  mhwopt generate --replace --min-defence 700 --require \"Attack Boost>=5\" --exclude \"Kaiser Crown Beta +\"");
    cmd->callback([options, &selected] { selected = [options] { return generate(*options); }; });
}

}  // namespace mhwopt::cli
