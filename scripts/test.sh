#!/usr/bin/env bash
# Builds everything and runs every test (unit, end-to-end, faults, fuzz-corpus replay) with ctest.
# The test build (build-test/) compiles at -O1: on the 2-core CI machine a full -O3 build took
# about 50 minutes and -O1 roughly halves it; the code and its NDEBUG settings are the same, and
# the benchmarks (bench/) use the -O3 build in build/. JOBS=N: compilers and tests at once (default:
# the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-test}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" >/dev/null
cmake --build "$BUILD_DIR" -j"${JOBS:-$(nproc)}"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"${JOBS:-$(nproc)}"
