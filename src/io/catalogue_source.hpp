#pragma once
// Where a catalogue comes from: the original's equipment CSV, or the MHWorldData source CSVs.
#include <optional>
#include <string>

#include "core/catalogue.hpp"
#include "core/error.hpp"
#include "io/mhworld_reader.hpp"

namespace mhwopt {

enum class CatalogueFormat { Auto, Csv, MhWorld };

// "auto", "csv" or "mhworld". Throws UsageError.
CatalogueFormat parse_catalogue_format(const std::string& text);

// Auto picks mhworld for a directory or a file named armor_base.csv, csv otherwise.
CatalogueFormat resolve_catalogue_format(const std::string& path, CatalogueFormat format);

// A rarity range applies to the mhworld format only (the original's CSV has no rarity).
Catalogue load_catalogue(const std::string& path, CatalogueFormat format, const std::optional<RarityRange>& rarity,
                         const WarningSink& warn);

}  // namespace mhwopt
