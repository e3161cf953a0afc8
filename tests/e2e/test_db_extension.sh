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
echo "ok"
