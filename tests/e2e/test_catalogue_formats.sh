#!/usr/bin/env bash
# --format that does not fit the path is a usage error naming what was expected, and the real
# MHWorldData tables (../shared/data when present) are read as they are published.
set -u
BIN=$1
SRC=$2
DATA=$SRC/example_data
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

expect_usage() {
  local name=$1 expected=$2
  shift 2
  local err
  err=$("$BIN" "$@" 2>&1 >/dev/null)
  local got=$?
  [ "$got" -eq 64 ] || fail "$name: exit code $got, expected 64"
  [ "$err" = "$expected" ] || fail "$name: stderr was '$err', expected '$expected'"
}

expect_usage "mhworld on a CSV file" \
  "mhwopt: $DATA/equipment.csv: --format mhworld reads MHWorldData's source_data directory (armors/armor_base.csv, charms/, skills/, ...), not a file; for the original's equipment CSV use --format csv" \
  run "$DATA/equipment.csv" /dev/null "$DATA/config.json" --format mhworld
expect_usage "mhworld on another directory" \
  "mhwopt: $DATA: --format mhworld expected MHWorldData's source_data directory, which holds armors/armor_base.csv; this directory does not" \
  run "$DATA" /dev/null "$DATA/config.json" --format mhworld
expect_usage "csv on a directory" \
  "mhwopt: $DATA: is a directory, expected the equipment CSV (for MHWorldData's source_data use --format mhworld)" \
  run "$DATA" /dev/null "$DATA/config.json" --format csv

# The published armour skill table names its level columns skill1_level/skill2_level.
REAL=$SRC/../shared/data/MHWorldData
if [ -d "$REAL/source_data" ]; then
  out=$(mktemp)
  "$BIN" run "$REAL" "$out" "$DATA/config.json" --format mhworld --rarity 12 -q || fail "the shared MHWorldData could not be read"
  [ "$(wc -l <"$out")" -gt 1 ] || fail "no sets from the shared MHWorldData"
  rm -f "$out"
else
  echo "note: $REAL absent, the real-data check did not run"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "catalogue formats checked"
