#!/usr/bin/env bash
# Every mhwopt and sqlite3 command the README shows runs as written, in order, from a copy of the
# checkout's example data with the binaries under test as build/ (the commands that need the
# MHWorldData set run when ../shared/data has it).
set -u
BIN=$1
SRC=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

mkdir "$WORK/build"
ln -s "$BIN" "$WORK/build/mhwopt"
ln -s "$(dirname "$BIN")/libmhwopt_sqlite.so" "$WORK/build/libmhwopt_sqlite.so"
cp -r "$SRC/example_data" "$WORK/"
source "$(dirname "$0")/extension_shell.sh"
use_extension_runtimes "$(dirname "$BIN")/libmhwopt_sqlite.so"
REAL=$SRC/../shared/data/MHWorldData/source_data
[ -d "$REAL" ] && export MHWORLDDATA=$REAL

python3 "$SRC/tests/e2e/readme_commands.py" "$SRC/README.md" >"$WORK/commands"
count=$(wc -l <"$WORK/commands")
[ "$count" -ge 8 ] || fail "found only $count commands in the README"
ran=0
while IFS= read -r command; do
  if [[ $command == *MHWORLDDATA* && -z ${MHWORLDDATA:-} ]]; then
    echo "note: skipped (no MHWorldData here): $command"
    continue
  fi
  (cd "$WORK" && eval "$command") >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "README command failed ($?): $command
$(tail -5 "$WORK/err")"
  ran=$((ran + 1))
done <"$WORK/commands"

[ -s "$WORK/best.csv" ] || fail "the README's run and score wrote no best.csv"

# What the README's commands write, run from a checkout as the README says, must not show up as
# untracked files there: each name is in .gitignore.
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
  for path in "$WORK"/*; do
    name=$(basename "$path")
    case $name in build | example_data | commands | out | err) continue ;; esac
    git -C "$SRC" check-ignore -q --no-index -- "$name" || fail "the README's commands leave $name untracked in a checkout (add it to .gitignore)"
  done
else
  echo "note: $SRC is not a git checkout; .gitignore not checked"
fi
[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "ran $ran README commands"
