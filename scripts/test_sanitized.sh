#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan and runs the
# ctest suite (unit, end-to-end, faults, fuzz corpus replay) but the tests labelled "once" (see
# tests/CMakeLists.txt: packaging, the README's commands, lock waits, kill -9; the normal suite runs
# them; SANITIZE_ALL=1 runs them here too). Any sanitizer report fails the run, even one from a
# process whose exit status a test does not look at (an e2e test expecting exit code 2, say):
# reports are written to files, and the run fails if any file appears.
# JOBS=N: compilers and tests at once (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc)}

# -O1 -g1 (line tables only): stacks still give file:line. On the shared 2-core machine the default
# -O2 -g took 1194 s for build and tests, -O1 -g 587 s, most of it compiling. The code under test has
# no assert(), so leaving NDEBUG off changes nothing in it. No man page: only a "once" test reads it.
man_page=OFF
[ -n "${SANITIZE_ALL:-}" ] && man_page=ON
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
      -DMHWOPT_SANITIZE=ON -DMHWOPT_MAN_PAGE="$man_page" >/dev/null
cmake --build build-asan -j"$jobs"

reports=$(mktemp -d /tmp/mhwopt-sanitizer.XXXXXX)
export ASAN_OPTIONS="log_path=$reports/asan:halt_on_error=1:abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:strict_string_checks=1"
export UBSAN_OPTIONS="log_path=$reports/ubsan:halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="log_path=$reports/lsan"

select=(-LE once)
if [ -n "${SANITIZE_ALL:-}" ]; then
    select=()
else
    once=$(ctest --test-dir build-asan -N -L once | sed -n 's/^ *Test *#[0-9]*: *//p' | tr '\n' ' ')
    echo "sanitized suite: NOT rerun under the sanitizers (the normal suite runs them; SANITIZE_ALL=1 to include): $once" >&2
fi
status=0
ctest --test-dir build-asan --output-on-failure -j"$jobs" "${select[@]}" || status=$?

if [ -n "$(ls -A "$reports")" ]; then
    echo "sanitizer reports:" >&2
    for f in "$reports"/*; do echo "== $f" >&2; cat "$f" >&2; done
    status=1
else
    rmdir "$reports"
fi
exit $status
