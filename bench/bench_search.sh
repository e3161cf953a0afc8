#!/usr/bin/env bash
# Benchmarks the exact branch-and-bound top-N search (issue 4) on the whole game catalogue:
# wall time (load included) and peak RSS, best and median of 5 runs on this noisy machine, then the
# engine's own figures (nodes visited, pieces removed by dominance) and the ratio to brute force
# where brute force is feasible. Builds a small driver (bench/search_bench.cpp) against BUILD_DIR's
# libraries, so it measures the engine whether or not `mhwopt run` uses it yet.
# Usage: bench/bench_search.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:?usage: bench/bench_search.sh BUILD_DIR}
build=$(cd "$build" && pwd)
shared=$root/../shared
data=$shared/data/mhworld
source "$here/common.sh"
for lib in libmhwopt_core.a libmhwopt_io.a; do
  [ -f "$build/$lib" ] || { echo "build the libraries first (cmake --build $build)"; exit 1; }
done
[ -f "$data/equipment_all.csv" ] || { echo "needs $data/equipment_all.csv"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

bench=$tmp/search_bench
g++ -std=c++17 -O2 -DNDEBUG -I "$root/src" "$here/search_bench.cpp" \
  "$build/libmhwopt_io.a" "$build/libmhwopt_core.a" -lfmt -pthread -o "$bench"

# The adversarial config: every skill of the catalogue capped at 1 with weight 3 and no penalty, so
# nearly every piece looks useful and the bounds cannot lean on a few strong skills; decoration and
# defence weights are config.json's.
python3 - "$data/equipment_all.csv" "$shared/compat/config.json" "$tmp/adversarial.json" <<'PY'
import csv, json, sys
equipment, base, target = sys.argv[1:4]
with open(equipment, newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))[1:]
skills = sorted({name for row in rows for name in (row[1], row[3]) if name})
config = json.load(open(base, encoding='utf-8'))
config['skills'] = {name: {'max': 1, 'weight': 3, 'penalty': 0} for name in skills}
config['limit'] = 15
json.dump(config, open(target, 'w', encoding='utf-8'), indent=1)
print(f"adversarial config: {len(skills)} skills, max 1, weight 3, penalty 0")
PY

echo "exact top 15 by branch and bound, $(nproc) cores, $(date -u +%F); targets: <= 0.05 s and <= 16 MB (adversarial <= 0.5 s)"
run_case() {  # LABEL EQUIPMENT CONFIG LIMIT
  local label=$1 equipment=$2 config=$3 limit=$4
  measure "$label" 5 "$bench" "$equipment" "$config" "$limit" 2
  "$bench" "$equipment" "$config" "$limit" 2 | sed 's/^/    /'
}
for equipment in equipment_rarity12.csv equipment_all.csv; do
  for config in config.json config_vitality_friendly.json; do
    run_case "$equipment, $config, top 15" "$data/$equipment" "$shared/compat/$config" 15
  done
done
run_case "equipment_all.csv, adversarial, top 15" "$data/equipment_all.csv" "$tmp/adversarial.json" 15
run_case "equipment_all.csv, config.json, top 1000" "$data/equipment_all.csv" "$shared/compat/config.json" 1000

# Brute force is feasible on rarity 12 alone (4.39e9 combinations): the ratio of combinations to nodes.
if [ "${SKIP_BRUTE_FORCE:-0}" != 1 ]; then
  measure "equipment_rarity12.csv, config.json, top 15, brute force" 1 \
    "$bench" "$data/equipment_rarity12.csv" "$shared/compat/config.json" 15 2 exhaustive
  brute=$LAST_BEST
  "$bench" "$data/equipment_rarity12.csv" "$shared/compat/config.json" 15 2 >"$tmp/bnb.txt"
  nodes=$(sed -n 's/^nodes \([0-9]*\).*/\1/p' "$tmp/bnb.txt")
  measure "equipment_rarity12.csv, config.json, top 15, branch and bound" 5 \
    "$bench" "$data/equipment_rarity12.csv" "$shared/compat/config.json" 15 2
  echo "  => $(echo "scale=0; $brute / $LAST_BEST" | bc)x faster than brute force; 4.39e9 combinations against $nodes nodes"
fi
