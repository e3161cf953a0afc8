// read_decorations over arbitrary bytes. Properties: it returns decorations or throws DataError,
// nothing else; every DataError is located at line >= 1, column >= 1; and what parses holds what
// the format promises (sizes 1-4, one or two skills named in the catalogue, levels from 0 as for pieces,
// counts from 0 to 1,000,000, a source line), and written back out and parsed again, is the same.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/catalogue.hpp"
#include "fuzz_check.hpp"
#include "io/decorations_reader.hpp"
#include "io/results_writer.hpp"

namespace {

using namespace mhwopt;

std::string write_decorations_csv(const std::vector<Decoration>& decorations, const Catalogue& catalogue) {
    std::string out = "Decoration,Size,Skill 1,Level,Skill 2,Level,Count\n";
    for (const Decoration& d : decorations) {
        out += fmt::format("{},{}", csv_field(d.name), d.size);
        for (std::size_t s = 0; s < 2; ++s) {
            if (s < d.skills.size()) out += fmt::format(",{},{}", csv_field(catalogue.skill_name(d.skills[s].skill)), d.skills[s].level);
            else out += ",,";
        }
        out += d.count ? fmt::format(",{}\n", *d.count) : std::string(",\n");
    }
    return out;
}

std::string describe(const std::vector<Decoration>& decorations, const Catalogue& catalogue) {
    std::string out;
    for (const Decoration& d : decorations) {
        out += fmt::format("[{}] size {} count {}", d.name, d.size, d.count ? std::to_string(*d.count) : "-");
        for (const SkillLevel& s : d.skills) out += fmt::format(" [{}]:{}", catalogue.skill_name(s.skill), s.level);
        out += '\n';
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    Catalogue catalogue;
    std::vector<Decoration> decorations;
    try {
        std::istringstream in(text);
        decorations = read_decorations(in, "fuzz.csv", catalogue, {});
    } catch (const DataError& error) {
        fuzz::check_located(error);
        return 0;
    }
    for (const Decoration& d : decorations) {
        FUZZ_CHECK(d.size >= 1 && d.size <= 4, describe(decorations, catalogue));
        FUZZ_CHECK(!d.skills.empty() && d.skills.size() <= 2, describe(decorations, catalogue));
        for (const SkillLevel& s : d.skills) FUZZ_CHECK(s.skill < catalogue.skill_count() && s.level >= 0, describe(decorations, catalogue));
        FUZZ_CHECK(!d.count || (*d.count >= 0 && *d.count <= 1000000), describe(decorations, catalogue));
        FUZZ_CHECK(d.source_line >= 2, describe(decorations, catalogue));
    }
    const std::string written = write_decorations_csv(decorations, catalogue);
    Catalogue again;
    std::vector<Decoration> reread;
    try {
        std::istringstream in(written);
        reread = read_decorations(in, "rewritten.csv", again, {});
    } catch (const DataError& error) {
        FUZZ_CHECK(false, std::string("the rewritten file does not parse: ") + error.what() + "\n" + written);
    }
    FUZZ_CHECK(describe(reread, again) == describe(decorations, catalogue), written);
    return 0;
}
