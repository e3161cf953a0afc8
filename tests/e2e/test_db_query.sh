# `query`: output formats, and refusal of anything but reads, leaving the file byte-identical.
source "$(dirname "$0")/db_common.sh"

db="$SCRATCH/q.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" -q
"$MHWOPT" generate --db "$db" -q

# CSV: a header line, then RFC 4180 rows (a name with a comma is quoted).
"$MHWOPT" query "SELECT id, head, defence FROM combination_detail WHERE id IN (0, 72) ORDER BY id" --db "$db" --csv > "$SCRATCH/out.csv"
printf 'id,head,defence\n0,Helm A,350\n72,"Helm, B",344\n' > "$SCRATCH/expected.csv"
diff "$SCRATCH/expected.csv" "$SCRATCH/out.csv" || fail "CSV output"

# JSON: an array of objects, numbers as numbers, NULL as null.
"$MHWOPT" query "SELECT id, head, NULL AS missing, 1.5 AS x FROM combination_detail WHERE id = 72" --db "$db" --json > "$SCRATCH/out.json"
python3 -c "
import json, sys
rows = json.load(open('$SCRATCH/out.json'))
assert rows == [{'id': 72, 'head': 'Helm, B', 'missing': None, 'x': 1.5}], rows
" || fail "JSON output: $(cat "$SCRATCH/out.json")"
[[ "$("$MHWOPT" query "SELECT 1 WHERE 0" --db "$db" --json)" == "[]" ]] || fail "empty JSON result"

# Table: aligned columns.
"$MHWOPT" query "SELECT id, charm FROM combination_detail WHERE id < 3 ORDER BY id" --db "$db" --table > "$SCRATCH/out.txt"
[[ "$(sed -n 1p "$SCRATCH/out.txt")" == "id  charm" ]] || fail "table header: $(cat "$SCRATCH/out.txt")"
[[ "$(sed -n 3p "$SCRATCH/out.txt")" == " 0  Charm A" ]] || fail "table row: $(cat "$SCRATCH/out.txt")"

# Refusals: the message says why, the exit code is 1, and the file does not change.
before=$(sha256sum < "$db")
for sql in "DELETE FROM combination" "UPDATE piece SET defence = 0" "DROP TABLE combination" \
           "ATTACH DATABASE '$SCRATCH/x.db' AS x" "VACUUM INTO '$SCRATCH/copy.db'" "PRAGMA writable_schema = 1" \
           "SELECT load_extension('$SCRATCH/x.so')" "SELECT 1; DELETE FROM combination"; do
    set +e
    "$MHWOPT" query "$sql" --db "$db" > /dev/null 2> "$SCRATCH/err"
    status=$?
    set -e
    [[ $status == 1 ]] || fail "'$sql': exit code $status, expected 1"
    grep -q "refused" "$SCRATCH/err" || fail "'$sql': $(cat "$SCRATCH/err")"
done
[[ ! -e "$SCRATCH/copy.db" && ! -e "$SCRATCH/x.db" ]] || fail "a refused statement created a file"
[[ "$(sha256sum < "$db")" == "$before" ]] || fail "the database file changed"
[[ "$("$MHWOPT" query "SELECT count(*) FROM combination" --db "$db" --csv | tail -1)" == 216 ]] || fail "rows lost"

# Time limit and size cap.
set +e
"$MHWOPT" query "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n" --db "$db" --timeout 0.3 2> "$SCRATCH/err"
status=$?
set -e
[[ $status == 1 ]] && grep -q "time limit" "$SCRATCH/err" || fail "--timeout: exit $status, $(cat "$SCRATCH/err")"
if "$MHWOPT" query "SELECT length(randomblob(2000000000))" --db "$db" 2> "$SCRATCH/err"; then fail "randomblob(2e9) was not capped"; fi
grep -q "too big" "$SCRATCH/err" || fail "randomblob: $(cat "$SCRATCH/err")"
[[ "$(sha256sum < "$db")" == "$before" ]] || fail "the database file changed"
echo "ok"
