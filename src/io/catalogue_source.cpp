#include "io/catalogue_source.hpp"

#include <filesystem>

#include "io/equipment_reader.hpp"

namespace mhwopt {

CatalogueFormat parse_catalogue_format(const std::string& text) {
    if (text == "auto") return CatalogueFormat::Auto;
    if (text == "csv") return CatalogueFormat::Csv;
    if (text == "mhworld") return CatalogueFormat::MhWorld;
    throw UsageError("--format \"" + text + "\": expected auto, csv or mhworld");
}

Catalogue load_catalogue(const std::string& path, CatalogueFormat format, const std::optional<RarityRange>& rarity,
                         const WarningSink& warn) {
    namespace fs = std::filesystem;
    if (format == CatalogueFormat::Auto)
        format = fs::is_directory(path) || fs::path(path).filename() == "armor_base.csv" ? CatalogueFormat::MhWorld
                                                                                          : CatalogueFormat::Csv;
    if (format == CatalogueFormat::MhWorld) return read_mhworld(path, rarity, warn);
    if (rarity) throw UsageError("--rarity applies to --format mhworld only: the original's CSV has no rarity column");
    return read_equipment_file(path, warn);
}

}  // namespace mhwopt
