#!/usr/bin/env bash
# bench/common.sh cannot print a figure it did not measure: a missing tool (GNU time, bc) stops the
# bench at once, naming the tool and the command that installs it; a command that cannot run, or a
# run that records no figures, stops it too, even under `measure ... || true`; a failing command's
# status is returned to the caller.
set -u
SRC=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
[[ -x /usr/bin/time ]] && command -v bc >/dev/null || { echo "skipped: no /usr/bin/time or bc (scripts/install_deps.sh --bench)"; exit 77; }

# bench SCRIPT: runs SCRIPT after sourcing common.sh as a bench does (set -euo pipefail); sets rc.
bench() {
  rc=0
  bash -c "set -euo pipefail; source '$SRC/bench/common.sh'; $1" >"$WORK/out" 2>"$WORK/err" || rc=$?
}
expect_failure() {  # NAME EXPECTED_STDERR_SUBSTRING
  [ "$rc" -eq 1 ] || fail "$1: exit $rc, expected 1 (stdout: $(cat "$WORK/out"))"
  grep -qF -- "$2" "$WORK/err" || fail "$1: stderr lacks '$2': $(cat "$WORK/err")"
  ! grep -q 'best' "$WORK/out" || fail "$1: printed a figure: $(cat "$WORK/out")"
}

# A PATH holding every tool but bc.
mkdir "$WORK/bin"
for tool in bash python3 sqlite3 timeout sort sed head tail cat rm true false env; do
  path=$(command -v "$tool") && ln -s "$path" "$WORK/bin/$tool"
done
rc=0
PATH=$WORK/bin bash -c "set -euo pipefail; source '$SRC/bench/common.sh'; measure x 1 true" >"$WORK/out" 2>"$WORK/err" || rc=$?
expect_failure "no bc" "bench: bc is missing; install the bench tools with: scripts/install_deps.sh --bench"

BENCH_TIME=$WORK/no-such-time bench "measure x 1 true"
expect_failure "no GNU time" "bench: $WORK/no-such-time is missing; install the bench tools with: scripts/install_deps.sh --bench"

bench "measure 'absent command' 1 $WORK/no-such-command || true; echo after"
expect_failure "a command that cannot run" "bench: absent command: cannot run '$WORK/no-such-command' (exit 127)"

# A time that runs the command but records nothing (as a broken or foreign time would).
printf '#!/bin/sh\nshift 4\nexec "$@"\n' >"$WORK/mute-time" && chmod +x "$WORK/mute-time"
BENCH_TIME=$WORK/mute-time bench "measure silent 1 true || true"
expect_failure "no figures recorded" "bench: silent: no measurement (time recorded '')"

bench "measure ok 2 true"
[ "$rc" -eq 0 ] || fail "measure of true: exit $rc: $(cat "$WORK/err")"
grep -qE '^ok +best +[0-9.]+ s  median +[0-9.]+ s  CPU best .* peak RSS +[0-9.]+ MB  \(2 runs\)$' "$WORK/out" || fail "measure of true printed: $(cat "$WORK/out")"

bench "measure failing 1 sh -c 'exit 3' || echo status \$?"
[ "$rc" -eq 0 ] && grep -qx 'status 3' "$WORK/out" || fail "a failing command's status: rc $rc, $(cat "$WORK/out") $(cat "$WORK/err")"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "bench/common.sh refuses to print what it did not measure"
