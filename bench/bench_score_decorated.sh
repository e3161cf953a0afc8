#!/usr/bin/env bash
# Figures for `score --decorations` (issue 10): on ../shared/compat/equipment.csv (10,895,360
# combinations) imported with a decorations CSV written for its skills (a jewel of size 1-3 a skill,
# and a size-4 jewel of two levels for every fourth), generated whole, the top 15 by
# `score --decorations --weapon-slots 4,4,2 --no-save` against plain `score --no-save`, on one
# connection and on all cores; then whether the decorated CSV equals `run --decorations FILE
# --weapon-slots 4,4,2`'s. Timings: best and median of RUNS (default 3). Build with -O3 first.
# Usage: bench/bench_score_decorated.sh [BUILD_DIR] [RUNS]
set -euo pipefail
SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-$SOURCE_DIR/build}
RUNS=${2:-3}
MHWOPT=$BUILD_DIR/mhwopt
COMPAT=$SOURCE_DIR/../shared/compat
source "$SOURCE_DIR/bench/common.sh"
[[ -x $MHWOPT ]] || { echo "build first: $MHWOPT is missing" >&2; exit 1; }
[[ -f $COMPAT/equipment.csv ]] || { echo "needs $COMPAT/equipment.csv" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mhwopt_bench_score_decorated.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
config=$COMPAT/config.json

python3 - "$COMPAT/equipment.csv" > "$WORK/decorations.csv" <<'PY'
import csv, sys
skills = []
data = open(sys.argv[1], 'rb').read()
try: text = data.decode('utf-8-sig')
except UnicodeDecodeError: text = data.decode('cp1252')  # as mhwopt reads it
for row in list(csv.reader(text.splitlines()))[1:]:
    for cell in (row[1], row[3]):  # the skills, by position as the equipment reader takes them
        if cell and cell not in skills: skills.append(cell)
print('Decoration,Size,Skill 1,Level,Skill 2,Level')
for i, skill in enumerate(skills):
    print(f'"{skill} Jewel {1 + i % 3}",{1 + i % 3},"{skill}",1,,')
    if i % 4 == 0: print(f'"{skill} Jewel+ 4",4,"{skill}",2,,')
PY
echo "== machine: $(nproc) cores; CPU steal now: $(vmstat 1 2 | tail -1 | awk '{print $NF}')%"
echo "== catalogue: compat/equipment.csv, $(($(wc -l < "$WORK/decorations.csv") - 1)) decorations (unlimited), config compat/config.json, top 15"
"$MHWOPT" import "$COMPAT/equipment.csv" --db "$WORK/gen.db" --decorations "$WORK/decorations.csv" -q
"$MHWOPT" generate --db "$WORK/gen.db" -q
score=("$MHWOPT" score "$config" --limit 15 --no-save --db "$WORK/gen.db" -q)

measure "score --no-save (1 connection)" "$RUNS" "${score[@]}" --threads 1 -o /dev/null
floor plain1
measure "score --decorations --weapon-slots 4,4,2 --no-save (1 conn.)" "$RUNS" "${score[@]}" --threads 1 --decorations --weapon-slots 4,4,2 -o /dev/null
ratio plain1
measure "score --no-save (all cores)" "$RUNS" "${score[@]}" -o /dev/null
floor plain
measure "score --decorations --weapon-slots 4,4,2 --no-save (all cores)" "$RUNS" "${score[@]}" --decorations --weapon-slots 4,4,2 -o /dev/null
ratio plain
measure "  the same with --where \"defence >= 0\" (every row)" "$RUNS" "${score[@]}" --decorations --weapon-slots 4,4,2 --where "defence >= 0" -o /dev/null
ratio plain
measure "run --decorations FILE --weapon-slots 4,4,2 (all cores)" "$RUNS" "$MHWOPT" run "$COMPAT/equipment.csv" /dev/null "$config" \
    --limit 15 --decorations "$WORK/decorations.csv" --weapon-slots 4,4,2 -q

"$MHWOPT" run "$COMPAT/equipment.csv" "$WORK/run.csv" "$config" --limit 15 --decorations "$WORK/decorations.csv" --weapon-slots 4,4,2 -q
"${score[@]}" --decorations --weapon-slots 4,4,2 -o "$WORK/score.csv"
if cmp -s "$WORK/run.csv" "$WORK/score.csv"; then echo "   score --decorations equal to run's top 15: yes"; else echo "   equal to run's top 15: NO"; fi
