#!/usr/bin/env bash
# Benchmarks `mhwopt run` (exhaustive search) against the original's figures (73.4 s, 14 MB on
# ../shared/compat/equipment.csv) and shows that memory stays flat on a catalogue 100x larger.
# Usage: bench/bench_run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
mhwopt=$build/mhwopt
shared=$root/../shared
source "$here/common.sh"
[ -x "$mhwopt" ] || { echo "build mhwopt first (cmake --build $build)"; exit 1; }
[ -d "$shared/compat" ] || { echo "needs $shared/compat"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

echo "mhwopt run, $(nproc) cores, $(date -u +%F)"
compat=$shared/compat
combos=10895360
measure "compat equipment.csv (10,895,360 combinations), 2 threads" 11 \
  "$mhwopt" run "$compat/equipment.csv" /dev/null "$compat/config.json" -q
echo "  => $(echo "scale=1; 73.4 / $LAST_BEST" | bc)x the original (73.4 s); $(echo "scale=2; $LAST_BEST * 1000000000 / $combos" | bc) ns per combination"
measure "compat equipment.csv, 1 thread" 11 \
  "$mhwopt" run "$compat/equipment.csv" /dev/null "$compat/config.json" -q --threads 1
echo "  => $(echo "scale=2; $LAST_BEST * 1000000000 / $combos" | bc) ns per combination per thread"

if [ -f "$shared/data/mhworld/equipment_rarity12.csv" ]; then
  # 31 pieces of each armour part and all 37 charms: 31^5 x 37 = 1,056,149,107 combinations (97x).
  subset_catalogue "$shared/data/mhworld/equipment_rarity12.csv" "$tmp/rarity12_subset.csv" 31 37
  big=1056149107
  measure "rarity-12 subset (1,056,149,107 combinations), 2 threads" 3 \
    "$mhwopt" run "$tmp/rarity12_subset.csv" /dev/null "$compat/config.json" -q
  echo "  => $(echo "scale=2; $LAST_BEST * 1000000000 / $big" | bc) ns per combination; peak RSS $((LAST_RSS_KB / 1024)) MB"
fi
