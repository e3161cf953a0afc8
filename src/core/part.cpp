#include "core/part.hpp"

namespace mhwopt {

namespace {
constexpr std::array<std::string_view, kPartCount> kPartNames = {"Head", "Body", "Arms",
                                                                 "Waist", "Legs", "Charm"};

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}
}  // namespace

std::string_view part_name(Part part) { return kPartNames[index_of(part)]; }

std::optional<Part> parse_part(std::string_view text) {
    for (Part part : kAllParts)
        if (equals_ignoring_case(text, part_name(part))) return part;
    return std::nullopt;
}

}  // namespace mhwopt
