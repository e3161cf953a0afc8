#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mhwopt {

// The order is the original's nesting order and the key codec's digit order (head most significant).
enum class Part : std::uint8_t { Head, Body, Arms, Waist, Legs, Charm };

constexpr std::size_t kPartCount = 6;
constexpr std::size_t kSlotLevels = 4;

constexpr std::array<Part, kPartCount> kAllParts = {Part::Head, Part::Body, Part::Arms,
                                                    Part::Waist, Part::Legs, Part::Charm};

inline std::size_t index_of(Part part) { return static_cast<std::size_t>(part); }

std::string_view part_name(Part part);

// Letter case is ignored, as in the original ("HEAD", "head" and "Head" are the same part).
std::optional<Part> parse_part(std::string_view text);

}  // namespace mhwopt
