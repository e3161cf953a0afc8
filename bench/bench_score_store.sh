#!/usr/bin/env bash
# Figures for `score` over stores of the real game (issue 18): its cost must follow the rows stored,
# never the key space (~1e15 ids). Builds, with `generate --top`, whole-game stores of 1,000 and
# 10,000,000 rows (ids spread over the whole key space, clustered under the best heads), then:
# - a plain scan of the same file by the sqlite3 shell (`total(id)`: `sum(id)` overflows on
#   whole-game ids), the floor any ranking of the file stands on;
# - `score` (default threads, and --threads 1) and `score --where`, CPU against that floor;
# - `score --decorations --weapon-slots 4,4,2` over a 1,000-row decorated store;
# - and several configs: the compat one, bench/configs/player.json, and random ones.
# Timings: best and median of RUNS (default 3). The 1e7 store takes about 20 s to build and 150 MB.
# Usage: bench/bench_score_store.sh [BUILD_DIR] [RUNS] [ROWS]   (ROWS: the large store, default 10000000)
set -euo pipefail
SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-$SOURCE_DIR/build}
RUNS=${2:-3}
ROWS=${3:-10000000}
MHWOPT=$BUILD_DIR/mhwopt
DATA=$SOURCE_DIR/../shared/data
source "$SOURCE_DIR/bench/common.sh"
[[ -x $MHWOPT ]] || bench_fail "build first: $MHWOPT is missing"
[[ -f $DATA/mhworld/equipment_all.csv && -d $DATA/MHWorldData/source_data ]] || bench_fail "needs $DATA/mhworld and $DATA/MHWorldData"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mhwopt_bench_score_store.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

COMPAT_CONFIG=$SOURCE_DIR/../shared/compat/config.json
[[ -f $COMPAT_CONFIG ]] || COMPAT_CONFIG=$SOURCE_DIR/example_data/config.json
PLAYER=$SOURCE_DIR/bench/configs/player.json

# random_config SEED: five of the game's popular skills with random weights and maxima, slot values
# on or off, a defence weight: what another player might rank by.
random_config() {
    python3 - "$1" <<'PY'
import json, random, sys
rng = random.Random(int(sys.argv[1]))
skills = ["Attack Boost", "Critical Eye", "Weakness Exploit", "Critical Boost", "Agitator", "Health Boost",
          "Divine Blessing", "Evade Window", "Handicraft", "Earplugs", "Maximum Might", "Peak Performance"]
config = {"skills": {s: {"max": rng.choice([3, 5, 7]), "weight": round(rng.uniform(0.5, 6), 2), "penalty": 0.0}
                     for s in rng.sample(skills, 5)},
          "defence": round(rng.uniform(0, 0.05), 3), "limit": 15}
if rng.random() < 0.5:
    config["decorations"] = {f"deco_{i}": round(rng.uniform(0.2, 2), 2) for i in range(1, 5)}
print(json.dumps(config))
PY
}

echo "== machine: $(nproc) cores; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
"$MHWOPT" import "$DATA/mhworld/equipment_all.csv" --db "$WORK/small.db" -q
cp "$WORK/small.db" "$WORK/large.db"
"$MHWOPT" generate --db "$WORK/small.db" --top 1000 --config "$COMPAT_CONFIG" -q
echo "== building a whole-game store of $ROWS rows (generate --top $ROWS)"
measure "generate --top $ROWS (whole game)" 1 "$MHWOPT" generate --db "$WORK/large.db" --top "$ROWS" --config "$COMPAT_CONFIG" -q

for store in small large; do
    db=$WORK/$store.db
    rows=$("$MHWOPT" query "SELECT count(*) FROM combination" --db "$db" --csv | tail -1)
    echo "== $store store: $rows rows, $(stat -c %s "$db") bytes"
    measure "sqlite3 shell: SELECT total(id) FROM combination" "$RUNS" sqlite3 "$db" "SELECT total(id) FROM combination"
    floor scan
    for config in "$COMPAT_CONFIG" "$PLAYER"; do
        name=$(basename "$config")
        measure "score $name (default threads)" "$RUNS" "$MHWOPT" score "$config" --db "$db" --no-save -q -o /dev/null
        ratio scan
        default_wall=$LAST_BEST
        measure "score $name --threads 1" "$RUNS" "$MHWOPT" score "$config" --db "$db" --no-save -q -o /dev/null --threads 1
        ratio scan
        printf '   wall, default threads against one: %.2fx (best against best)\n' "$(echo "$default_wall / $LAST_BEST" | bc -l)"
    done
    measure "score --where \"defence >= 800 AND skill(id, 'Attack Boost') >= 5\"" "$RUNS" \
        "$MHWOPT" score "$COMPAT_CONFIG" --db "$db" --no-save -q -o /dev/null --where "defence >= 800 AND skill(id, 'Attack Boost') >= 5"
    ratio scan
    cpus=()
    for seed in 1 2 3 4 5; do
        random_config "$seed" > "$WORK/random$seed.json"
        measure "score random config $seed" 1 "$MHWOPT" score "$WORK/random$seed.json" --db "$db" --no-save -q -o /dev/null
        cpus+=("$LAST_CPU_BEST")
    done
    sorted=$(printf '%s\n' "${cpus[@]}" | sort -g)
    echo "   random configs' CPU: median $(sed -n 3p <<<"$sorted") s, worst $(tail -n 1 <<<"$sorted") s"
done

echo "== decorated store: MHWorldData, every decoration, generate --top 1000 --decorations --weapon-slots 4,4,2"
"$MHWOPT" import "$DATA/MHWorldData/source_data" --format mhworld --decorations all --db "$WORK/deco.db" -q
"$MHWOPT" generate --db "$WORK/deco.db" --top 1000 --decorations --weapon-slots 4,4,2 --config "$PLAYER" -q
for config in "$PLAYER" "$WORK/random1.json" "$WORK/random2.json" "$WORK/random3.json"; do
    measure "score $(basename "$config") --decorations --weapon-slots 4,4,2 (1,000 rows)" "$RUNS" \
        "$MHWOPT" score "$config" --db "$WORK/deco.db" --decorations --weapon-slots 4,4,2 --no-save -q -o /dev/null
done
