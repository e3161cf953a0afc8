#include "db/decoration_provenance.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <SQLiteCpp/Statement.h>

#include "db/fnv1a.hpp"
#include "db/sqlite_failure.hpp"
#include "io/progress.hpp"

namespace mhwopt::db {

namespace {

std::string thousands(std::int64_t n) { return with_thousands_separators(static_cast<std::uint64_t>(n)); }

struct RecordedRun {
    std::string status;
    std::int64_t top_n = 0;
    bool decorated = false;
    std::optional<std::string> decorations_hash;
};

std::optional<RecordedRun> generation_run(SQLite::Database& db, std::int64_t run) {
    SQLite::Statement select(db, "SELECT status, coalesce(top_n, 0), weapon_slots IS NOT NULL, decorations_hash FROM generation_run WHERE id = ?");
    select.bind(1, run);
    if (!select.executeStep()) return std::nullopt;
    RecordedRun row{select.getColumn(0).getString(), select.getColumn(1).getInt64(), select.getColumn(2).getInt() != 0, std::nullopt};
    if (!select.isColumnNull(3)) row.decorations_hash = select.getColumn(3).getString();
    return row;
}

constexpr const char* kBeforeSchema8 = "was recorded before mhwopt recorded which decorations a run placed (schema version 8)";

}  // namespace

std::string stored_decorations_hash(SQLite::Database& db) {
    return with_error_context(db, "reading the stored decorations", [&] {
        // Skills by name: the digest says what was placed, whatever ids the skill table gave them.
        SQLite::Statement rows(db,
            "SELECT d.id, d.name, d.size, d.count, ds.ordinal, s.name, ds.level FROM decoration AS d"
            " LEFT JOIN decoration_skill AS ds ON ds.decoration = d.id LEFT JOIN skill AS s ON s.id = ds.skill"
            " ORDER BY d.id, ds.ordinal");
        Fnv1a64 hash;
        hash.add(std::string_view("decorations"));
        std::optional<std::int64_t> current;
        while (rows.executeStep()) {
            const std::int64_t id = rows.getColumn(0).getInt64();
            if (id != current) {
                current = id;
                hash.add(std::string_view("decoration"));
                hash.add(id);
                hash.add(rows.getColumn(1).getString());
                hash.add(rows.getColumn(2).getInt64());
                hash.add(rows.isColumnNull(3) ? std::string("unlimited") : std::to_string(rows.getColumn(3).getInt64()));
            }
            if (rows.isColumnNull(4)) continue;  // a decoration without skills
            hash.add(std::string_view("skill"));
            hash.add(rows.getColumn(4).getInt64());
            hash.add(rows.getColumn(5).getString());
            hash.add(rows.getColumn(6).getInt64());
        }
        return fmt::format("fnv1a64:{:016x}", hash.value());
    });
}

std::optional<DecoratedGeneration> decorated_generation(SQLite::Database& db) {
    return with_error_context(db, {}, [&]() -> std::optional<DecoratedGeneration> {
        // The latest run owns the combination table: generate refuses to add to another run's rows
        // and --replace drops them. rows_written is exact (each batch's transaction advances it).
        SQLite::Statement latest(db,
            "SELECT g.id, g.status, g.filters, g.rows_written, g.decorations_hash FROM generation_run AS g"
            " WHERE g.id = (SELECT max(id) FROM generation_run) AND g.weapon_slots IS NOT NULL AND g.status <> 'abandoned'"
            " AND g.catalogue_hash = (SELECT content_hash FROM catalogue WHERE id = 1)"
            " AND (g.status <> 'finished' OR EXISTS (SELECT 1 FROM combination))");
        if (!latest.executeStep()) return std::nullopt;
        DecoratedGeneration generation{latest.getColumn(0).getInt64(), latest.getColumn(1).getString(), latest.getColumn(2).getString(),
                                       latest.getColumn(3).getInt64(), std::nullopt};
        if (!latest.isColumnNull(4)) generation.decorations_hash = latest.getColumn(4).getString();
        return generation;
    });
}

std::string describe(const DecoratedGeneration& generation) {
    return fmt::format("generation run {} ({}; {}, {} combinations stored)", generation.run, generation.options, generation.status,
                       thousands(generation.stored));
}

DecorationsMatch match_stored_decorations(SQLite::Database& db, const std::optional<std::string>& recorded) {
    if (!recorded) return DecorationsMatch::Unknown;
    return *recorded == stored_decorations_hash(db) ? DecorationsMatch::Same : DecorationsMatch::Other;
}

void check_resume_decorations(SQLite::Database& db, std::int64_t run, const std::string& db_label, const WarningSink& warn) {
    const std::optional<RecordedRun> row = with_error_context(db, {}, [&] { return generation_run(db, run); });
    if (!row || !row->decorated) return;
    const DecorationsMatch match = match_stored_decorations(db, row->decorations_hash);
    if (match == DecorationsMatch::Same) return;
    const bool finished = row->status == "finished";
    if (match == DecorationsMatch::Other) {
        if (finished)
            throw std::runtime_error(fmt::format(
                "{}: generation run {} chose the stored sets by their placement of other decorations than those stored now "
                "(imported after it): they are not the best {} with these. Use --replace to generate them again",
                db_label, run, thousands(row->top_n)));
        throw std::runtime_error(fmt::format(
            "{}: generation run {} ranks by the placement of other decorations than those stored now (imported after it "
            "started); resuming it would mix two searches. Use --replace to start over with the stored ones",
            db_label, run));
    }
    if (!finished)
        throw std::runtime_error(fmt::format("{}: generation run {} {}, so resuming it could mix two searches if other decorations "
                                             "were imported since. Use --replace to start over",
                                             db_label, run, kBeforeSchema8));
    if (warn)
        warn(fmt::format("generation run {} {}: if other decorations were imported since, the stored sets are not the best {} with these",
                         run, kBeforeSchema8, thousands(row->top_n)));
}

std::string check_ranking_decorations(SQLite::Database& db, const std::string& db_label, const WarningSink& warn) {
    const std::string hash = stored_decorations_hash(db);
    const std::optional<DecoratedGeneration> generation = decorated_generation(db);
    if (!generation) return hash;
    if (!generation->decorations_hash) {
        if (warn)
            warn(fmt::format("the stored combinations are those {} chose by their placement of the stored decorations; it {}: if "
                             "other decorations were imported since, they are not the best sets with these",
                             describe(*generation), kBeforeSchema8));
        return hash;
    }
    if (*generation->decorations_hash != hash)
        throw std::runtime_error(fmt::format(
            "{}: the stored combinations are those {} chose by their placement of other decorations than those stored now: "
            "ranked with these they are not the best sets. Generate them again with the stored decorations "
            "(mhwopt generate --replace ... --decorations), or rank without --decorations and --weapon-slots",
            db_label, describe(*generation)));
    return hash;
}

void record_score_decorations(SQLite::Database& db, std::int64_t run, const std::string& hash) {
    if (stored_decorations_hash(db) != hash)
        throw std::runtime_error(fmt::format("{}: the stored decorations changed while ranking (another mhwopt import); nothing saved, "
                                             "rank again",
                                             database_label(db.getHandle())));
    with_error_context(db, "recording the ranking's decorations", [&] {
        SQLite::Statement update(db, "UPDATE score_run SET decorations_hash = ? WHERE id = ?");
        update.bind(1, hash);
        update.bind(2, run);
        update.exec();
    });
}

}  // namespace mhwopt::db
