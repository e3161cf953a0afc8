#!/usr/bin/env bash
# An empty path (mostly an unset shell variable: import --format mhworld "$MHWORLDDATA") is a usage
# error naming the argument, exit 64, for every command and every argument that names a file; nothing
# is created or changed (an empty --db would otherwise be SQLite's temporary database).
source "$(dirname "$0")/run_common.sh"

cd "$WORK"
"$BIN" import "$DATA/equipment.csv" --db sets.db -q && "$BIN" generate --db sets.db -q || { echo "FAIL: setup" >&2; exit 1; }
"$BIN" score "$DATA/config.json" --db sets.db -q >/dev/null || { echo "FAIL: setup score" >&2; exit 1; }
cp sets.db sets.orig

# expect_empty COMMAND NAME ARGS...: exactly "mhwopt COMMAND: NAME is an empty path ...", exit 64.
expect_empty() {
  local command=$1 name=$2
  shift 2
  "$BIN" "$command" "$@" >stdout 2>stderr
  local got=$?
  [ "$got" -eq 64 ] || fail "$command $*: exit code $got, expected 64"
  local expected="mhwopt $command: $name is an empty path (an unset shell variable?)"
  [ "$(cat stderr)" = "$expected" ] || fail "$command with an empty $name: stderr was
$(cat stderr)
expected
$expected"
  [ ! -s stdout ] || fail "$command with an empty $name wrote to stdout: $(head -3 stdout)"
  cmp -s sets.db sets.orig || fail "$command with an empty $name changed the database"
  local extra
  extra=$(ls | grep -vxE 'sets\.db|sets\.orig|sets\.db-(wal|shm)|stdout|stderr')
  [ -z "$extra" ] || fail "$command with an empty $name left: $extra"
}

unset MHWORLDDATA
expect_empty import EQUIPMENT --db sets.db --format mhworld "${MHWORLDDATA:-}"
expect_empty import EQUIPMENT "" --db sets.db
expect_empty import --db "$DATA/equipment.csv" --db ""
expect_empty import --decorations "$DATA/equipment.csv" --db sets.db --decorations ""
expect_empty run EQUIPMENT "" out.csv "$DATA/config.json" -q
expect_empty run OUTPUT "$DATA/equipment.csv" "" "$DATA/config.json" -q
expect_empty run CONFIG "$DATA/equipment.csv" out.csv "" -q
expect_empty run --decorations "$DATA/equipment.csv" out.csv "$DATA/config.json" -q --decorations ""
expect_empty generate --db --db ""
expect_empty generate --config --db sets.db --top 5 --config ""
expect_empty score CONFIG "" --db sets.db
expect_empty score --db "$DATA/config.json" --db ""
expect_empty score --output "$DATA/config.json" --db sets.db -o ""
expect_empty query --db "SELECT 1" --db ""
expect_empty report RESULTS ""
expect_empty report --db --db "" --run 1
expect_empty report --config "$DATA/expected_config.csv" --config ""
expect_empty report --output "$DATA/expected_config.csv" -o ""

# A flag is not a path: score --decorations takes no value and still works beside a good path.
"$BIN" score "$DATA/config.json" --db sets.db -q >/dev/null 2>stderr || fail "score after the checks: $(cat stderr)"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "every empty path refused by name"
