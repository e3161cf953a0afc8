#include "db/stored_requirements.hpp"

#include <stdexcept>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "db/sqlite_failure.hpp"
#include "io/filters_json.hpp"

namespace mhwopt::db {

std::vector<ResolvedFilters::Requirement> stored_requirements(SQLite::Database& db, const Catalogue& catalogue) {
    Filters filters;
    with_error_context(db, {}, [&] {
        SQLite::Statement latest(db, "SELECT filters_json FROM generation_run ORDER BY id DESC LIMIT 1");
        if (!latest.executeStep() || latest.isColumnNull(0)) return;
        try {
            filters.requirements = filters_from_json(latest.getColumn(0).getString()).requirements;
        } catch (const std::exception& e) {
            throw std::runtime_error(fmt::format("{}: the latest generation_run's filters_json is not what mhwopt writes ({})", db.getFilename(), e.what()));
        }
    });
    if (filters.requirements.empty()) return {};
    return resolve_filters(catalogue, filters).requirements;
}

}  // namespace mhwopt::db
