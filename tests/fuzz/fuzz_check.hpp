#pragma once
// Property checks for the fuzz targets. A broken property must abort (not throw) so that libFuzzer
// records the input as a crash and the replay test fails, whichever main is linked.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.hpp"

#define FUZZ_CHECK(condition, detail)                                                            \
    do {                                                                                         \
        if (!(condition)) {                                                                      \
            std::fprintf(stderr, "%s:%d: property failed: %s\n  %s\n", __FILE__, __LINE__,       \
                         #condition, std::string(detail).c_str());                               \
            std::abort();                                                                        \
        }                                                                                        \
    } while (0)

namespace mhwopt::fuzz {

// Every complaint must point at a real spot: line and column are 1-based.
inline void check_located(const DataError& error) {
    FUZZ_CHECK(error.line() >= 1 && error.column() >= 1, error.what());
}

}  // namespace mhwopt::fuzz
