# The loadable extension in Debian's sqlite3 shell gives the same answers as mhwopt's own functions.
source "$(dirname "$0")/db_common.sh"
command -v sqlite3 > /dev/null || { echo "no sqlite3 shell: skipped"; exit 77; }
extension="$BUILD_DIR/libmhwopt_sqlite"
[[ -f "$extension.so" ]] || fail "$extension.so was not built"
source "$(dirname "$0")/extension_shell.sh"
use_extension_runtimes "$extension.so"

db="$SCRATCH/x.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" -q
"$MHWOPT" generate --db "$db" -q

sql="SELECT id, printf('%.17g', score(id, '$FIXTURE/config.json')), skill(id, 'Attack Boost'), defence(id), slots(id, 4), piece(id, 'Charm') FROM combination ORDER BY id"
# The shell quotes every text field in CSV mode, mhwopt only those that need it; charm names need none.
"$MHWOPT" query "$sql" --db "$db" --csv | tail -n +2 | tr -d '"' > "$SCRATCH/mhwopt.csv"
sqlite3 -csv "$db" ".load $extension" "$sql" | tr -d '"' > "$SCRATCH/shell.csv"
diff "$SCRATCH/mhwopt.csv" "$SCRATCH/shell.csv" > /dev/null || fail "the shell's results differ: $(diff "$SCRATCH/mhwopt.csv" "$SCRATCH/shell.csv" | head -5)"
[[ $(wc -l < "$SCRATCH/shell.csv") == 216 ]] || fail "expected 216 rows from the shell"

# Errors come back as SQL errors, not crashes.
if sqlite3 "$db" ".load $extension" "SELECT piece(1, 'Hat')" 2> "$SCRATCH/err"; then fail "piece(1, 'Hat') should fail"; fi
grep -q "expected Head" "$SCRATCH/err" || fail "error text: $(cat "$SCRATCH/err")"

# The plain-SQL view needs no extension at all.
n=$(sqlite3 "$db" "SELECT count(*) FROM combination_detail WHERE defence >= 380")
m=$("$MHWOPT" query "SELECT count(*) FROM combination WHERE defence(id) >= 415" --db "$db" --csv | tail -1)
[[ "$n" == "$m" ]] || fail "combination_detail in the bare shell ($n) disagrees with defence() ($m)"

# best_sets over the whole catalogue in the shell: the very rows `mhwopt run` writes (its CSV starts
# with the six piece names), with and without requirements, and the same through `mhwopt query`.
# Names may hold commas ("Helm, B"): CSV is read as CSV, and the shell prints '|'-separated lists.
pieces_of_csv() { python3 -c 'import csv, sys; [print("|".join(r[:6])) for r in list(csv.reader(sys.stdin))[1:]]'; }
for filters in "" "--require Attack Boost>=2 --min-defence 300"; do
    if [[ -z $filters ]]; then
        "$MHWOPT" run "$FIXTURE/equipment.csv" "$SCRATCH/run.csv" "$FIXTURE/config.json" --limit 7 -q
        call="best_sets('$FIXTURE/config.json', 7)"
    else
        "$MHWOPT" run "$FIXTURE/equipment.csv" "$SCRATCH/run.csv" "$FIXTURE/config.json" --limit 7 -q \
            --require "Attack Boost>=2" --min-defence 300
        call="best_sets('$FIXTURE/config.json', 7, 'Attack Boost>=2', 300)"
    fi
    pieces_of_csv < "$SCRATCH/run.csv" > "$SCRATCH/run_pieces.csv"
    [[ -s "$SCRATCH/run_pieces.csv" ]] || fail "run found no sets for '$filters'"
    sqlite3 -list "$db" ".load $extension" "SELECT head, body, arms, waist, legs, charm FROM $call ORDER BY rank" > "$SCRATCH/best.csv"
    diff "$SCRATCH/run_pieces.csv" "$SCRATCH/best.csv" > /dev/null ||
        fail "best_sets ($call) differs from run: $(diff "$SCRATCH/run_pieces.csv" "$SCRATCH/best.csv" | head -5)"
    "$MHWOPT" query "SELECT head, body, arms, waist, legs, charm FROM $call ORDER BY rank" --db "$db" --csv | pieces_of_csv \
        > "$SCRATCH/query.csv"
    diff "$SCRATCH/run_pieces.csv" "$SCRATCH/query.csv" > /dev/null || fail "mhwopt query's best_sets ($call) differs from run"
done
if sqlite3 "$db" ".load $extension" "SELECT * FROM best_sets" 2> "$SCRATCH/err"; then fail "best_sets without a config should fail"; fi
grep -q "best_sets needs a config" "$SCRATCH/err" || fail "error text: $(cat "$SCRATCH/err")"
echo "ok"
