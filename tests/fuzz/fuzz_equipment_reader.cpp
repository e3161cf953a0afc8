// read_equipment over arbitrary bytes. Properties: it returns a catalogue or throws DataError,
// nothing else; every DataError is located at line >= 1, column >= 1; and a catalogue that parses,
// written back out in the original's CSV format and parsed again, is the same catalogue.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/catalogue.hpp"
#include "fuzz_check.hpp"
#include "io/equipment_reader.hpp"
#include "io/results_writer.hpp"

namespace {

using namespace mhwopt;

// The pieces in file order: a catalogue keeps them by part, and skill ids are given in the order
// skills are first met, so only file order reproduces the same ids.
std::vector<const Piece*> in_file_order(const Catalogue& catalogue) {
    std::vector<const Piece*> pieces;
    for (Part part : kAllParts)
        for (const Piece& piece : catalogue.pieces(part)) pieces.push_back(&piece);
    std::sort(pieces.begin(), pieces.end(),
              [](const Piece* a, const Piece* b) { return a->source_line < b->source_line; });
    return pieces;
}

std::string write_equipment_csv(const Catalogue& catalogue) {
    std::string out = "Name,Skill 1 Name,Skill 1 Level,Skill 2 Name,Skill 2 Level,Slots Lvl 1,Slots Lvl 2,"
                      "Slots Lvl 3,Slots Lvl 4,Body Part,Base Defence\n";
    for (const Piece* piece : in_file_order(catalogue)) {
        out += csv_field(piece->name);
        for (std::size_t s = 0; s < 2; ++s) {
            if (s < piece->skills.size())
                out += fmt::format(",{},{}", csv_field(catalogue.skill_name(piece->skills[s].skill)), piece->skills[s].level);
            else
                out += ",,";
        }
        for (int slots : piece->slots) out += fmt::format(",{}", slots);
        out += fmt::format(",{},{}\n", part_name(piece->part), piece->defence);
    }
    return out;
}

std::string describe(const Catalogue& catalogue) {
    std::string out;
    for (std::size_t id = 0; id < catalogue.skill_count(); ++id)
        out += fmt::format("skill {} = [{}]\n", id, catalogue.skill_name(static_cast<SkillId>(id)));
    for (Part part : kAllParts) {
        for (const Piece& piece : catalogue.pieces(part)) {
            out += fmt::format("{} [{}] slots {} {} {} {} defence {} skills", part_name(part), piece.name, piece.slots[0],
                               piece.slots[1], piece.slots[2], piece.slots[3], piece.defence);
            for (const SkillLevel& skill : piece.skills) out += fmt::format(" {}:{}", skill.skill, skill.level);
            out += '\n';
        }
    }
    return out;
}

Catalogue parse(const std::string& bytes, bool& warned) {
    std::istringstream in(bytes);
    return read_equipment(in, "fuzz.csv", [&](const std::string& message) {
        FUZZ_CHECK(message.rfind("fuzz.csv:", 0) == 0, "a warning starts with the file's name: " + message);
        warned = true;
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    Catalogue first;
    bool warned = false;
    try {
        first = parse(bytes, warned);
    } catch (const DataError& error) {
        fuzz::check_located(error);
        return 0;
    }
    for (Part part : kAllParts) FUZZ_CHECK(!first.pieces(part).empty(), "every part has a piece");
    for (Part part : kAllParts) {
        for (const Piece& piece : first.pieces(part)) {
            FUZZ_CHECK(piece.part == part && piece.source_line >= 2, piece.name);
            FUZZ_CHECK(piece.skills.size() <= 2, piece.name);
            for (int slots : piece.slots) FUZZ_CHECK(slots >= 0 && slots <= kMaxCellNumber, piece.name);
            FUZZ_CHECK(piece.defence >= 0 && piece.defence <= kMaxCellNumber, piece.name);
            for (const SkillLevel& skill : piece.skills)
                FUZZ_CHECK(skill.skill < first.skill_count() && skill.level >= 0 && skill.level <= kMaxCellNumber, piece.name);
            if (part == Part::Charm) FUZZ_CHECK(piece.defence == 0 && piece.slots == (std::array<int, kSlotLevels>{}), piece.name);
        }
    }

    const std::string written = write_equipment_csv(first);
    Catalogue second;
    bool warned_again = false;
    try {
        second = parse(written, warned_again);
    } catch (const DataError& error) {
        FUZZ_CHECK(false, std::string("the written catalogue does not parse: ") + error.what() + "\n" + written);
    }
    // What it writes is clean: UTF-8, and charms without stats, so there is nothing to warn about.
    FUZZ_CHECK(!warned_again, written);
    FUZZ_CHECK(describe(second) == describe(first), "parse, write, parse gives the same catalogue:\n" + describe(first) +
                                                         "---\n" + describe(second));
    return 0;
}
