// mhwopt import EQUIPMENT.csv: the catalogue into the database, all or nothing.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/catalogue_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "db/catalogue_store.hpp"
#include "db/database.hpp"
#include "db/decoration_provenance.hpp"
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

// Other decorations change no combination id and no plain score, but a decorated generation chose
// its stored sets (and would resume its search) by their placement of the decorations it was run
// with: those sets must not outlive them. Called after the new decorations are written, in the
// transaction: refused without --replace (the transaction rolls back), else its combinations are
// dropped and an unfinished run abandoned. Returns what was dropped, for the status line.
std::string drop_dependents(db::Database& database, const ImportOptions& options) {
    const std::optional<db::DecoratedGeneration> generation = db::decorated_generation(database);
    if (!generation || generation->decorations_hash == db::stored_decorations_hash(database)) return {};
    if (!options.replace)
        throw std::runtime_error(fmt::format(
            "{}: holds the sets {} chose by their placement of the stored decorations; other decorations would leave them (and "
            "its --resume) the best sets of another list. Use --replace to drop them and store the new decorations",
            options.db_path, db::describe(*generation)));
    db::with_error_context(database, "dropping the combinations", [&] { database.exec("DELETE FROM combination"); });
    db::with_error_context(database, "closing unfinished runs", [&] {
        database.exec("UPDATE generation_run SET status = 'abandoned' WHERE status IN ('running', 'interrupted')");
    });
    return fmt::format("; dropped the {} combinations of generation run {}, chosen with the previous ones",
                       with_thousands_separators(static_cast<std::uint64_t>(generation->stored)), generation->run);
}

// An import with --decorations added the skills of its decorations the equipment lacks to the
// catalogue, after the equipment's and the game's, in list order: they are part of its hash. The
// same equipment imported without the option is that catalogue when those skills, added the same
// way from the stored decorations, make the same hash.
bool same_with_stored_decorations(const db::CatalogueStore& store, const Catalogue& loaded, const std::string& stored_hash) {
    const Catalogue stored = store.read();
    Catalogue with = loaded;
    for (const Decoration& decoration : store.read_decorations(stored))
        for (const SkillLevel& skill : decoration.skills) with.intern_skill(stored.skill_name(skill.skill));
    return db::CatalogueStore::content_hash(with) == stored_hash;
}

// Stores the catalogue unless it is already there; all or nothing.
void store_catalogue(db::Database& database, const GameCatalogue& loaded, const std::string& hash, const ImportOptions& options) {
    const Catalogue& catalogue = loaded.catalogue;
    db::CatalogueStore store(database);
    SQLite::Transaction transaction = db::begin_write(database);
    const auto stored = store.info();
    const bool same = stored && (stored->content_hash == hash ||
                                 (options.decorations.empty() && same_with_stored_decorations(store, catalogue, stored->content_hash)));
    if (same) {
        // With --decorations the same skill table, so the stored decorations' skill ids compare
        // directly. Without it the stored ones stay: an import of the same catalogue changes nothing.
        if (!options.decorations.empty() && !same_decorations(store.read_decorations(catalogue), loaded.decorations)) {
            store.write_decorations(loaded.decorations);
            const std::string dropped = drop_dependents(database, options);
            db::commit(transaction, database);
            if (!options.quiet)
                std::fprintf(stderr, "%s: the catalogue is unchanged (%s); stored %zu decorations%s\n", options.db_path.c_str(), hash.c_str(),
                             loaded.decorations.size(), dropped.c_str());
            return;
        }
        // SQLiteCpp 3.2.1's Transaction has no rollback(): leaving the scope rolls the read back.
        if (!options.quiet)
            std::fprintf(stderr, "%s: the catalogue is unchanged (%s); nothing to do\n", options.db_path.c_str(), stored->content_hash.c_str());
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
    cmd->add_flag("--replace", options->replace, "Drop stored combinations of another catalogue, or chosen with other decorations, in the same transaction");
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
