#!/usr/bin/env bash
# Figures for the combination database (issue 3), on ../shared/compat/equipment.csv:
# generate wall time, peak RSS and bytes a combination (also on a 10x larger catalogue, to show
# memory stays flat), score's top 15 with a config different from the one used before, and a
# plain-SQL count over combination_detail. Timings: best and median of RUNS (default 3).
# A yardstick comes first: the sqlite3 shell alone inserting as many rows in one statement, with
# explicit ids and with NULL ids that SQLite appends (what generate does for consecutive keys): the
# floor for any SQLite writer on this machine (machines here vary severalfold with CPU steal).
# Usage: bench/bench_db.sh [BUILD_DIR] [RUNS] [SCALE]   (SCALE: the larger catalogue's factor, default 10)
set -euo pipefail
SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-$SOURCE_DIR/build}
RUNS=${2:-3}
SCALE=${3:-10}
MHWOPT=$BUILD_DIR/mhwopt
COMPAT=$SOURCE_DIR/../shared/compat
source "$SOURCE_DIR/bench/common.sh"
[[ -x $MHWOPT ]] || { echo "build first: $MHWOPT is missing" >&2; exit 1; }
[[ -f $COMPAT/equipment.csv ]] || { echo "needs $COMPAT/equipment.csv" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mhwopt_bench_db.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

bytes_per_combination() {  # DB
    local size count
    size=$(stat -c %s "$1")
    count=$("$MHWOPT" query "SELECT count(*) FROM combination" --db "$1" --csv | tail -1)
    echo "$(echo "scale=2; $size / $count" | bc) bytes a combination ($size bytes, $count rows)"
}

echo "== machine: $(nproc) cores; CPU steal now: $(vmstat 1 2 | tail -1 | awk '{print $NF}')%"
echo "== yardstick: the sqlite3 shell alone, 10,895,360 rows into a rowid table (WAL), in one statement"
measure "sqlite3 shell, explicit ids from generate_series" 1 sqlite3 "$WORK/yardstick.db" \
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE c(id INTEGER PRIMARY KEY);
     INSERT INTO c SELECT value FROM generate_series(0, 10895359);"
rm -f "$WORK"/yardstick.db*
measure "sqlite3 shell, NULL ids (appended) from generate_series" 1 sqlite3 "$WORK/yardstick.db" \
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE c(id INTEGER PRIMARY KEY);
     INSERT INTO c VALUES (0); INSERT INTO c SELECT NULL FROM generate_series(1, 10895359);"
rm -f "$WORK"/yardstick.db*

echo "== generate on compat/equipment.csv (10,895,360 combinations)"
"$MHWOPT" import "$COMPAT/equipment.csv" --db "$WORK/base.db" -q
measure "generate" "$RUNS" sh -c "cp '$WORK/base.db' '$WORK/gen.db' && rm -f '$WORK/gen.db-wal' && '$MHWOPT' generate --db '$WORK/gen.db' -q"
echo "   on disk: $(bytes_per_combination "$WORK/gen.db")"

echo "== score: top 15 with a config different from the one used before"
echo "   floor: the sqlite3 shell's plain scan of the same rows; ratios are of CPU time (all threads)"
"$MHWOPT" score "$COMPAT/config.json" --db "$WORK/gen.db" -o /dev/null -q
other=$COMPAT/config_vitality_friendly.json
measure "floor: sqlite3 SELECT sum(id) FROM combination" "$RUNS" sqlite3 "$WORK/gen.db" "SELECT sum(id) FROM combination"
floor scan
measure "score (other config, 1 connection, --no-save)" "$RUNS" "$MHWOPT" score "$other" --limit 15 --threads 1 --no-save --db "$WORK/gen.db" -o /dev/null -q
ratio scan
floor unsaved
measure "score (other config, 1 connection, saved)" "$RUNS" "$MHWOPT" score "$other" --limit 15 --threads 1 --db "$WORK/gen.db" -o "$WORK/score.csv" -q
ratio unsaved
measure "score (other config, all cores, --no-save)" "$RUNS" "$MHWOPT" score "$other" --limit 15 --no-save --db "$WORK/gen.db" -o /dev/null -q
ratio scan
floor unsaved_all
measure "score (other config, all cores, saved)" "$RUNS" "$MHWOPT" score "$other" --limit 15 --db "$WORK/gen.db" -o /dev/null -q
ratio unsaved_all
measure "score --where \"defence >= 750\" (1 connection, --no-save)" "$RUNS" "$MHWOPT" score "$other" --limit 15 --threads 1 --no-save \
    --where "defence >= 750" --db "$WORK/gen.db" -o /dev/null -q
ratio scan
"$MHWOPT" run "$COMPAT/equipment.csv" "$WORK/run.csv" "$other" --limit 15 -q 2>/dev/null
if cmp -s "$WORK/run.csv" "$WORK/score.csv"; then echo "   equal to run's top 15: yes"; else echo "   equal to run's top 15: NO"; fi

echo "== query"
measure "query count(*) FROM combination WHERE defence(id) >= 750" "$RUNS" \
    "$MHWOPT" query "SELECT count(*) FROM combination WHERE defence(id) >= 750" --db "$WORK/gen.db" --csv
floor function
measure "query count(*) FROM combination_detail WHERE defence >= 750" "$RUNS" \
    "$MHWOPT" query "SELECT count(*) FROM combination_detail WHERE defence >= 750" --db "$WORK/gen.db" --csv
ratio function
echo "   answer: $("$MHWOPT" query "SELECT count(*) FROM combination WHERE defence(id) >= 750" --db "$WORK/gen.db" --csv | tail -1) sets"
rm -f "$WORK/gen.db" "$WORK/gen.db-wal" "$WORK/gen.db-shm"

echo "== generate on a ${SCALE}x larger catalogue (every charm copied $SCALE times under new names)"
python3 - "$COMPAT/equipment.csv" "$WORK/big.csv" "$SCALE" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
out = [rows[0]] + [r for r in rows[1:] if r[9].lower() != 'charm']
charms = [r for r in rows[1:] if r[9].lower() == 'charm']
for copy in range(int(sys.argv[3])):
    for r in charms:
        out.append([r[0] if copy == 0 else f"{r[0]} (copy {copy})"] + r[1:])
csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8'), lineterminator='\n').writerows(out)
PY
"$MHWOPT" import "$WORK/big.csv" --db "$WORK/big.db" -q
measure "generate, ${SCALE}x catalogue ($((10895360 * SCALE)) combinations)" 1 "$MHWOPT" generate --db "$WORK/big.db" -q
echo "   on disk: $(bytes_per_combination "$WORK/big.db")"
