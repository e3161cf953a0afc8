#pragma once
// A scoring configuration, with the original's defaults: every number it does not give is 1.0.
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/part.hpp"

namespace mhwopt {

struct SkillRule {
    double max = 1.0;
    double weight = 1.0;
    double penalty = 1.0;
};

struct Config {
    std::array<double, kSlotLevels> deco_weights{1.0, 1.0, 1.0, 1.0};
    double num_decos_weight = 1.0;
    double defence_weight = 1.0;
    std::int64_t limit = 1;
    std::vector<std::pair<std::string, SkillRule>> skills;  // in file order
};

}  // namespace mhwopt
