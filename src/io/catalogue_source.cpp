#include "io/catalogue_source.hpp"

#include <filesystem>
#include <stdexcept>

#include "io/equipment_reader.hpp"

namespace mhwopt {

CatalogueFormat parse_catalogue_format(const std::string& text) {
    if (text == "auto") return CatalogueFormat::Auto;
    if (text == "csv") return CatalogueFormat::Csv;
    if (text == "mhworld") return CatalogueFormat::MhWorld;
    throw UsageError("--format \"" + text + "\": expected auto, csv or mhworld");
}

CatalogueFormat resolve_catalogue_format(const std::string& path, CatalogueFormat format) {
    namespace fs = std::filesystem;
    if (format != CatalogueFormat::Auto) return format;
    return fs::is_directory(path) || fs::path(path).filename() == "armor_base.csv" ? CatalogueFormat::MhWorld : CatalogueFormat::Csv;
}

Catalogue load_catalogue(const std::string& path, CatalogueFormat format, const std::optional<RarityRange>& rarity,
                         const WarningSink& warn) {
    namespace fs = std::filesystem;
    format = resolve_catalogue_format(path, format);
    // A format that does not fit the path is a mistake on the command line: say so, rather than
    // name a file inside it that does not exist or call a directory an empty CSV.
    if (!fs::exists(path)) throw std::runtime_error(path + ": cannot open: No such file or directory");
    if (format == CatalogueFormat::MhWorld) {
        const fs::path given(path);
        const bool is_armour_table = given.filename() == "armor_base.csv";
        if (fs::is_regular_file(given) && !is_armour_table)
            throw UsageError(path + ": --format mhworld reads MHWorldData's source_data directory (armors/armor_base.csv, "
                                    "charms/, skills/, ...), not a file; for the original's equipment CSV use --format csv");
        const fs::path root = fs::is_directory(given / "source_data") ? given / "source_data" : given;
        if (fs::is_directory(given) && !fs::exists(root / "armors" / "armor_base.csv"))
            throw UsageError(path + ": --format mhworld expected MHWorldData's source_data directory, "
                                    "which holds armors/armor_base.csv; this directory does not");
        return read_mhworld(path, rarity, warn);
    }
    if (rarity) throw UsageError("--rarity applies to --format mhworld only: the original's CSV has no rarity column");
    if (fs::is_directory(path))
        throw UsageError(path + ": is a directory, expected the equipment CSV (for MHWorldData's source_data use --format mhworld)");
    return read_equipment_file(path, warn);
}

}  // namespace mhwopt
