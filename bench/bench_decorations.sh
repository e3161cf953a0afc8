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
cat > "$WORK/config.json" <<'JSON'
{
  "decorations": {"deco_1": 1.0, "deco_2": 1.5, "deco_3": 2.0, "deco_4": 2.5, "num_decos": 0.5},
  "skills": {
    "Weakness Exploit": {"max": 3, "weight": 6.0, "penalty": 0.0},
    "Critical Boost": {"max": 3, "weight": 5.0, "penalty": 0.0},
    "Agitator": {"max": 7, "weight": 4.0, "penalty": 0.0},
    "Attack Boost": {"max": 7, "weight": 4.0, "penalty": 0.0},
    "Critical Eye": {"max": 7, "weight": 3.5, "penalty": 0.0},
    "Health Boost": {"max": 3, "weight": 2.5, "penalty": 0.0},
    "Handicraft": {"max": 5, "weight": 3.0, "penalty": 0.0},
    "Maximum Might": {"max": 5, "weight": 2.0, "penalty": 0.0},
    "Peak Performance": {"max": 3, "weight": 2.0, "penalty": 0.0},
    "Earplugs": {"max": 5, "weight": 1.5, "penalty": 0.0}
  },
  "defence": 0.012,
  "limit": 15
}
JSON
args=("$DATA" /dev/null "$WORK/config.json" --format mhworld --decorations all --weapon-slots 4,4,2 -q)
[[ -n $RARITY ]] && args+=(--rarity "$RARITY")
echo "catalogue: MHWorldData ${RARITY:+rarity $RARITY}${RARITY:-whole game}; timeout ${TIMEOUT} s a run"
run_case() {
  local label=$1; shift
  measure "$label" "$RUNS" timeout "$TIMEOUT" "$MHWOPT" "${args[@]}" "$@"
  local rc=0; timeout "$TIMEOUT" "$MHWOPT" "${args[@]}" "$@" --stats 2>"$WORK/stats" >/dev/null || rc=$?
  if (( rc == 124 )); then echo "  (stopped after ${TIMEOUT} s)"; else grep '^search:' "$WORK/stats" | sed 's/^/  /' || true; fi
}
run_case "top 15"
run_case "top 15, WEX 3 + Critical Boost 3 + Agitator 7" --require "Weakness Exploit>=3" --require "Critical Boost>=3" --require "Agitator>=7"
measure "infeasible (Attack Boost 8) explained" "$RUNS" timeout "$TIMEOUT" "$MHWOPT" "${args[@]}" --require "Attack Boost>=8"
