// mhwopt import EQUIPMENT.csv: the catalogue into the database, all or nothing.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/catalogue_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "db/catalogue_store.hpp"
#include "db/database.hpp"
#include "db/writer_lock.hpp"
#include "db/sqlite_failure.hpp"
#include "io/progress.hpp"

namespace mhwopt::cli {

namespace {

struct ImportOptions {
    std::string equipment_path;
    std::string db_path = "mhwopt.db";
    bool replace = false;
    bool quiet = false;
    std::string decorations;  // a CSV file, "all" (the data set's), or empty: as run's option
    CatalogueOptions catalogue;
    JournalOption journal;
};

bool same_decorations(const std::vector<Decoration>& a, const std::vector<Decoration>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t d = 0; d < a.size(); ++d) {
        if (a[d].name != b[d].name || a[d].size != b[d].size || a[d].count != b[d].count || a[d].skills.size() != b[d].skills.size())
            return false;
        for (std::size_t k = 0; k < a[d].skills.size(); ++k)
            if (a[d].skills[k].skill != b[d].skills[k].skill || a[d].skills[k].level != b[d].skills[k].level) return false;
    }
    return true;
}

std::string decorations_summary(const GameCatalogue& loaded) {
    std::string text;
    if (!loaded.catalogue.game().bonuses.empty() || loaded.catalogue.game().has_limits())
        text += fmt::format(", the game's {} set bonuses and skill maxima", loaded.catalogue.game().bonuses.size());
    if (!loaded.decorations.empty()) text += fmt::format(", {} decorations", loaded.decorations.size());
    return text;
}

// Stores the catalogue unless it is already there; all or nothing.
void store_catalogue(db::Database& database, const GameCatalogue& loaded, const std::string& hash, const ImportOptions& options) {
    const Catalogue& catalogue = loaded.catalogue;
    db::CatalogueStore store(database);
    SQLite::Transaction transaction = db::begin_write(database);
    const auto stored = store.info();
    if (stored && stored->content_hash == hash) {
        // The same skill table, so the stored decorations' skill ids compare directly. Other
        // decorations change no combination id and no plain score: stored combinations stay.
        if (!same_decorations(store.read_decorations(catalogue), loaded.decorations)) {
            store.write_decorations(loaded.decorations);
            db::commit(transaction, database);
            if (!options.quiet)
                std::fprintf(stderr, "%s: the catalogue is unchanged (%s); stored %zu decorations\n", options.db_path.c_str(), hash.c_str(),
                             loaded.decorations.size());
            return;
        }
        // SQLiteCpp 3.2.1's Transaction has no rollback(): leaving the scope rolls the read back.
        if (!options.quiet)
            std::fprintf(stderr, "%s: the catalogue is unchanged (%s); nothing to do\n", options.db_path.c_str(), hash.c_str());
        return;
    }
    const std::int64_t combinations = database.execAndGet("SELECT count(*) FROM combination").getInt64();
    if (combinations > 0 && !options.replace)
        throw std::runtime_error(fmt::format(
            "{}: holds {} combinations of the catalogue imported from {}; a different catalogue would make them meaningless. "
            "Use --replace to drop them and import",
            options.db_path, with_thousands_separators(static_cast<std::uint64_t>(combinations)), stored ? stored->source_file : "?"));
    if (options.replace) {
        db::with_error_context(database, "dropping the combinations", [&] { database.exec("DELETE FROM combination"); });
        db::with_error_context(database, "closing unfinished runs", [&] {
            database.exec("UPDATE generation_run SET status = 'abandoned' WHERE status IN ('running', 'interrupted')");
        });
    }
    store.write(catalogue, options.equipment_path, loaded.decorations);
    db::commit(transaction, database);

    if (!options.quiet) {
        std::string sizes;
        for (Part part : kAllParts)
            sizes += fmt::format("{}{} {}", sizes.empty() ? "" : ", ", catalogue.pieces(part).size(), part_name(part));
        std::fprintf(stderr, "%s: imported %zu pieces (%s) and %zu skills%s from %s: %s combinations. Next: mhwopt generate%s\n",
                     options.db_path.c_str(), catalogue.piece_count(), sizes.c_str(), catalogue.skill_count(), decorations_summary(loaded).c_str(),
                     options.equipment_path.c_str(), with_thousands_separators(catalogue.combination_count()).c_str(),
                     options.db_path == "mhwopt.db" ? "" : (" --db " + options.db_path).c_str());
    }
}


int import(const ImportOptions& options) {
    // Every file is read and checked before the database is touched: a bad file changes nothing.
    const GameCatalogue loaded = options.catalogue.load_with_game(options.equipment_path, options.decorations, stderr_warnings(), false);
    const std::string hash = db::CatalogueStore::content_hash(loaded.catalogue);

    db::Database database(options.db_path, db::OpenMode::Create, db::Database::kDefaultBusyTimeoutMs, options.journal.mode());
    // A new catalogue (--replace) drops the combinations a running generate is still writing.
    const db::WriterLock lock(options.db_path);
    db::with_error_context(database, {}, [&] { store_catalogue(database, loaded, hash, options); });
    return kExitOk;
}

}  // namespace

void add_import_command(CLI::App& app, CommandAction& selected) {
    auto options = std::make_shared<ImportOptions>();
    CLI::App* cmd = app.add_subcommand("import", "Store an equipment catalogue in the database (first step of the database workflow)");
    cmd->add_option("equipment", options->equipment_path,
                    "Equipment CSV (the original's format), or with --format mhworld the MHWorldData source directory")->required();
    cmd->add_option("--db", options->db_path, "Database file (created if missing)")->capture_default_str();
    cmd->add_flag("--replace", options->replace, "Drop stored combinations of another catalogue, in the same transaction");
    cmd->add_flag("-q,--quiet", options->quiet, "No status output");
    options->catalogue.add_to(*cmd);
    cmd->add_option("--decorations", options->decorations,
                    "Store decorations for the SQL functions decorated_score, placement and placed_skill: a CSV "
                    "(Decoration,Size,Skill 1,Level,Skill 2,Level[,Count]) or \"all\" (with --format mhworld)");
    options->journal.add_to(*cmd);
    cmd->footer(
        "The file is checked completely before the database is touched; a bad file changes nothing.\n"
        "Examples:\n"
        "  mhwopt import equipment.csv\n"
        "  mhwopt import --format mhworld path/to/MHWorldData/source_data --rarity 12\n"
        "  mhwopt import --format mhworld path/to/MHWorldData/source_data --rarity 12 --decorations all\n"
        "  mhwopt import new_equipment.csv --db sets.db --replace");
    cmd->callback([options, &selected] { selected = [options] { return import(*options); }; });
}

}  // namespace mhwopt::cli
