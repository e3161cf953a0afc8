#!/usr/bin/env bash
# query and score share --csv, --json and --table (at most one): score's default stays the
# original's CSV, and its JSON and table hold the same rows.
source "$(dirname "$0")/db_common.sh"
db="$SCRATCH/formats.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" -q
"$MHWOPT" generate --db "$db" -q

"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --limit 5 --no-save -q > "$SCRATCH/default.csv" || fail "score failed"
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --limit 5 --no-save -q --csv > "$SCRATCH/csv.csv" || fail "score --csv failed"
cmp -s "$SCRATCH/default.csv" "$SCRATCH/csv.csv" || fail "score --csv differs from score's default CSV"
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --limit 5 --no-save -q --json > "$SCRATCH/rows.json" || fail "score --json failed"
python3 - "$SCRATCH/default.csv" "$SCRATCH/rows.json" <<'PY' || fail "score --json does not hold the CSV's rows"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
objects = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(rows) == 5 and len(objects) == 5, (len(rows), len(objects))
for row, obj in zip(rows, objects):
    assert list(row) == list(obj), (list(row), list(obj))
    assert all(str(obj[k]) == v for k, v in row.items()), (row, obj)
PY
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --limit 5 --no-save -q --table > "$SCRATCH/rows.txt" || fail "score --table failed"
[[ $(wc -l < "$SCRATCH/rows.txt") -eq 7 ]] || fail "score --table: expected a header, a rule and 5 rows: $(cat "$SCRATCH/rows.txt")"

for command in "query SELECT 1" "score $FIXTURE/config.json --no-save"; do
    status=0
    "$MHWOPT" $command --db "$db" --csv --json > /dev/null 2> "$SCRATCH/two.err" || status=$?
    [[ $status -eq 64 ]] || fail "$command --csv --json: exit $status, expected 64"
    grep -q -- "--csv,--json,--table" "$SCRATCH/two.err" || fail "$command --csv --json: $(cat "$SCRATCH/two.err")"
done
[[ "$("$MHWOPT" query "SELECT 1 AS a, 2.5 AS b" --db "$db" --json)" == $'[\n{"a":1,"b":2.5}\n]' ]] || fail "query --json"
echo "ok"
