#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz and runs each for SECONDS
# on a scratch copy of its corpus. New inputs and crash reproducers go to the scratch directory
# (FUZZ_WORK, default a fresh temporary one), never into the repo: copy a reproducer into
# tests/fuzz/corpus/TARGET/ by hand once the bug is understood, so ctest replays it from then on.
#
#   scripts/fuzz.sh SECONDS [TARGET...]     targets: csv_reader equipment_reader config_reader decorations_reader import_memory sql_functions
#   FUZZ_JOBS=N   fuzzers run at once (default: the number of cores)
# Exit status: 0 when no target crashed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS [TARGET...]" >&2
    exit 64
fi
seconds=$1; shift
jobs=${FUZZ_JOBS:-$(nproc)}

# The tools first, so that a missing one leaves nothing behind.
cxx=${CXX_FUZZ:-}
if [ -z "$cxx" ]; then
    for candidate in clang++ clang++-14; do command -v "$candidate" >/dev/null && cxx=$candidate && break; done
fi
if [ -z "$cxx" ]; then
    echo "$0: clang++ not found; install it with: scripts/install_deps.sh --fuzz (clang-14, libclang-rt-14-dev)" >&2
    exit 1
fi
[ -x /usr/bin/time ] || { echo "$0: /usr/bin/time not found; install it with: scripts/install_deps.sh --fuzz" >&2; exit 1; }

# A scratch directory made here is removed if the script stops before fuzzing (a failed build);
# once the fuzzers have run it holds their findings and is kept.
if [ -n "${FUZZ_WORK:-}" ]; then
    work=$FUZZ_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d /tmp/mhwopt-fuzz.XXXXXX)
    trap 'rm -rf "$work"' EXIT
fi
# A cache made with another compiler would be thrown away by cmake together with MHWOPT_FUZZ, and the
# targets built as plain replay programs: start afresh instead.
if [ -f build-fuzz/CMakeCache.txt ] && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=$(command -v "$cxx")\$" build-fuzz/CMakeCache.txt; then
    rm -rf build-fuzz
fi
# -O1 -g with asserts on: sanitizer reports with usable stacks, still fast enough to fuzz.
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DMHWOPT_FUZZ=ON >/dev/null

grep -q '^MHWOPT_FUZZ:BOOL=ON$' build-fuzz/CMakeCache.txt || { echo "$0: build-fuzz is not configured with MHWOPT_FUZZ=ON" >&2; exit 1; }
available=$(cmake --build build-fuzz --target help | sed -n 's/^\.\.\. fuzz_//p')
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($available)
for t in "${targets[@]}"; do
    grep -qx "$t" <<<"$available" || { echo "$0: no fuzz target '$t' (have: $(echo $available))" >&2; exit 64; }
done
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

run_one() {
    local t=$1 dir=$work/$1
    mkdir -p "$dir/corpus" "$dir/artifacts"
    local dict=() 
    [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
    # The first corpus directory receives new inputs; the seed corpus in the repo is only read.
    # CPU time, not wall time, is what "fuzzed for an hour" means on a shared machine: measured here.
    /usr/bin/time -f '%U %S' -o "$dir/cpu" "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "${dict[@]}" \
        "$dir/corpus" "tests/fuzz/corpus/$t" >"$dir/log" 2>&1 || true
}

trap - EXIT
echo "fuzzing ${targets[*]} for ${seconds}s each, $jobs at a time; scratch: $work"
running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

status=0
printf '%-18s %8s %12s %8s %8s %10s %8s\n' target cpu_s executions exec/s cov features crashes
for t in "${targets[@]}"; do
    log=$work/$t/log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
    crashes=$(find "$work/$t/artifacts" -type f | wc -l)
    cpu=$(awk '/^[0-9.]+ [0-9.]+$/ {printf "%.0f", $1 + $2}' "$work/$t/cpu" 2>/dev/null)
    # A fuzzer that died before its final stats crashed too, even if it left no artifact.
    if [ -z "$execs" ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
    printf '%-18s %8s %12s %8s %8s %10s %8s\n' "$t" "${cpu:-?}" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$crashes"
    if [ "$crashes" -gt 0 ]; then
        status=1
        echo "  $t: see $log; reproducers:" $(find "$work/$t/artifacts" -type f)
    fi
done
exit $status
