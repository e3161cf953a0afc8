#pragma once
// The public MHWorldData source CSVs, read directly: armors/armor_base.csv joined with
// armors/armor_skills_ext.csv, and charms/charm_base.csv. Slot levels (slot_1..slot_3, 0 = none)
// become counts per level; defense_base is the base defence.
#include <optional>
#include <string>

#include "core/catalogue.hpp"
#include "core/error.hpp"

namespace mhwopt {

struct RarityRange {
    int min = 0;
    int max = 1000;
};

// "12" or "10-12". Throws UsageError.
RarityRange parse_rarity_range(const std::string& text);

// `path`: the data set's directory (holding armors/ and charms/, or source_data/ holding them), or
// the path of armors/armor_base.csv itself.
Catalogue read_mhworld(const std::string& path, const std::optional<RarityRange>& rarity, const WarningSink& warn);

}  // namespace mhwopt
