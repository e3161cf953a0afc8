#pragma once
// Internal to src/core/search: the constants and clock every room of the exact search shares.
// Nothing outside src/core/search includes these headers; the public API is core/branch_and_bound.hpp.
#include <chrono>
#include <cstddef>
#include <limits>

#include "core/part.hpp"

namespace mhwopt::engine {

using Clock = std::chrono::steady_clock;
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr long long kUncapped = 1LL << 40;
constexpr std::size_t kLastDepth = kPartCount - 1;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace mhwopt::engine
