#pragma once
// Options shared by the commands that read a catalogue (run, import) and those that filter sets
// (run, generate): one definition, so their spelling and help text never drift apart.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/filters.hpp"
#include "db/database.hpp"
#include "io/catalogue_source.hpp"

namespace mhwopt::cli {

struct CatalogueOptions {
    std::string format = "auto";
    std::string rarity;

    void add_to(CLI::App& command);
    Catalogue load(const std::string& path, const WarningSink& warn) const;
};

struct FilterOptions {
    std::vector<std::string> requirements;
    std::optional<int> min_defence;
    std::vector<std::string> excluded;
    std::vector<std::string> pinned;

    void add_to(CLI::App& command);
    Filters parse() const;  // throws UsageError
};

// --journal-mode for the commands that write a database: unset keeps the file's mode (WAL for new files).
struct JournalOption {
    std::string name;

    void add_to(CLI::App& command);
    std::optional<db::JournalMode> mode() const;
};

}  // namespace mhwopt::cli
