#!/usr/bin/env bash
# Figures for issue 10 (decorations, weapon slots, set bonuses), through the product binary on the
# MHWorldData source data: top 15 with --decorations all --weapon-slots 4,4,2 and a player's config
# of ten weighted skills; the same with --require for Weakness Exploit 3, Critical Boost 3,
# Agitator 7; an infeasible requirement explained; the --stats line (nodes, sets scored = placement
# solves, from which the time per solve follows). Best and median of RUNS; each run is stopped after
# TIMEOUT seconds (reported as such). Build with -O3 first.
# Usage: bench/bench_decorations.sh [BUILD_DIR] [RUNS] [RARITY]   (RARITY: e.g. 12; empty = the whole game)
set -euo pipefail
SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-$SOURCE_DIR/build}
RUNS=${2:-3}
RARITY=${3:-}
TIMEOUT=${TIMEOUT:-60}
MHWOPT=$BUILD_DIR/mhwopt
DATA=$SOURCE_DIR/../shared/data/MHWorldData/source_data
source "$SOURCE_DIR/bench/common.sh"
[[ -x $MHWOPT ]] || { echo "build first: $MHWOPT is missing" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mhwopt_bench_decorations.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
args=(run "$DATA" /dev/null "$SOURCE_DIR/bench/configs/player.json" --format mhworld --decorations all --weapon-slots 4,4,2 -q)
[[ -n $RARITY ]] && args+=(--rarity "$RARITY")
if [[ -n $RARITY ]]; then scope="rarity $RARITY"; else scope="whole game"; fi
echo "catalogue: MHWorldData $scope; config bench/configs/player.json; timeout ${TIMEOUT} s a run"
run_case() {
  local label=$1; shift
  measure "$label" "$RUNS" timeout -k 5 "$TIMEOUT" "$MHWOPT" "${args[@]}" "$@" || true  # a stopped run is reported, not fatal
  local rc=0; timeout -k 5 "$TIMEOUT" "$MHWOPT" "${args[@]}" "$@" --stats 2>"$WORK/stats" >/dev/null || rc=$?
  if (( rc == 124 || rc == 137 )); then echo "  (stopped after ${TIMEOUT} s)"; else grep '^search:' "$WORK/stats" | sed 's/^/  /' || true; fi
}
run_case "top 15"
run_case "top 15, WEX 3 + Critical Boost 3 + Agitator 7" --require "Weakness Exploit>=3" --require "Critical Boost>=3" --require "Agitator>=7"
measure "infeasible (Attack Boost 8) explained" "$RUNS" timeout -k 5 "$TIMEOUT" "$MHWOPT" "${args[@]}" --require "Attack Boost>=8" || true
# generate --top N --decorations: the same search over the stored catalogue (imported once, with
# every decoration), then the best N written in key order; this path holds the N best in memory.
"$MHWOPT" import "$DATA" --format mhworld --decorations all --db "$WORK/game.db" -q ${RARITY:+--rarity "$RARITY"}
for n in 15 1000; do
  measure "generate --replace --top $n --decorations --weapon-slots 4,4,2" "$RUNS" timeout -k 5 "$TIMEOUT" "$MHWOPT" generate \
    --db "$WORK/game.db" --replace --top "$n" --config "$SOURCE_DIR/bench/configs/player.json" --decorations --weapon-slots 4,4,2 -q || true
done
