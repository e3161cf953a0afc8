# Issue 13's defects, one check each (every check failed before its fix): query's options and
# output, generate's refusals, score's checks before and after ranking, files a reader leaves.
source "$(dirname "$0")/db_common.sh"

db="$SCRATCH/r.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" -q
"$MHWOPT" generate --db "$db" -q

expect() {  # expect NAME CODE TEXT: exit code CODE and TEXT in stderr
    [[ $status == "$2" ]] || fail "$1: exit code $status, expected $2 ($(cat "$SCRATCH/$1.err"))"
    grep -qF -- "$3" "$SCRATCH/$1.err" || fail "$1: expected '$3' in: $(cat "$SCRATCH/$1.err")"
}
# The file's bytes and its content (a checksum of .dump), for "left byte-identical".
fingerprint() { echo "$(sha256sum < "$1") $(sqlite3 "$1" .dump | sha256sum)"; }

## query --timeout: a positive finite number of seconds, at most 1e6 (item 11)
for bad in nan NaN inf 0 -1 1e7 9.3e9 1x ""; do
    run_mhwopt timeout query "SELECT 1" --db "$db" --timeout "$bad"
    expect timeout 64 "--timeout: expected a number of seconds above 0 and at most 1000000, found '$bad'"
    (( $(wc -c < "$SCRATCH/timeout.err") < 200 )) || fail "--timeout $bad: a long message: $(cat "$SCRATCH/timeout.err")"
done
run_mhwopt timeout query "SELECT 1" --db "$db" --timeout 1e6 --csv
[[ $status == 0 && "$(cat "$SCRATCH/timeout.out")" == $'1\n1' ]] || fail "--timeout 1e6: $status $(cat "$SCRATCH/timeout.err")"

## query --json keeps every column, a repeated name suffixed :2, :3 (item 11)
run_mhwopt dup query "SELECT 1 AS a, 2 AS a, 3 AS b, 4 AS a" --db "$db" --json
[[ $status == 0 ]] || fail "repeated names: $(cat "$SCRATCH/dup.err")"
python3 -c "
import json
rows = json.load(open('$SCRATCH/dup.out'))
assert rows == [{'a': 1, 'a:2': 2, 'b': 3, 'a:3': 4}], rows
" || fail "JSON with repeated names: $(cat "$SCRATCH/dup.out")"
run_mhwopt dup query "SELECT 1 AS a, 2 AS 'a:2', 3 AS a" --db "$db" --json
python3 -c "
import json
rows = json.load(open('$SCRATCH/dup.out'))
assert rows == [{'a': 1, 'a:2': 2, 'a:3': 3}], rows
" || fail "JSON with a name like a suffix: $(cat "$SCRATCH/dup.out")"

## a failed query prints nothing on stdout, in any format (item 14)
for format in --csv --json --table; do
    for sql in "SELECT abs(-9223372036854775808) AS x" "SELECT id, piece(id, 'Hat') FROM combination_detail" \
               "SELECT x FROM (SELECT 1 AS x UNION ALL SELECT abs(-9223372036854775808))"; do
        run_mhwopt failed query "$sql" --db "$db" $format
        [[ $status == 1 ]] || fail "'$sql' $format: exit $status"
        [[ ! -s "$SCRATCH/failed.out" ]] || fail "'$sql' $format printed: $(cat "$SCRATCH/failed.out")"
    done
done

## reading PRAGMAs and table-valued functions are reads; risky functions are refused (items 9, 14)
before=$(fingerprint "$db")
run_mhwopt pragma query "PRAGMA journal_mode" --db "$db" --csv
[[ $status == 0 && "$(cat "$SCRATCH/pragma.out")" == $'journal_mode\nwal' ]] || fail "PRAGMA journal_mode: $(cat "$SCRATCH/pragma.out" "$SCRATCH/pragma.err")"
run_mhwopt pragma query "SELECT * FROM pragma_user_version" --db "$db" --csv
[[ $status == 0 && "$(sed -n 2p "$SCRATCH/pragma.out")" =~ ^[1-9][0-9]*$ ]] || fail "pragma_user_version: $(cat "$SCRATCH/pragma.out" "$SCRATCH/pragma.err")"
run_mhwopt pragma query "SELECT count(*) FROM json_each('[1,2,3]')" --db "$db" --csv
[[ $status == 0 && "$(sed -n 2p "$SCRATCH/pragma.out")" == 3 ]] || fail "json_each: $(cat "$SCRATCH/pragma.err")"
for sql in "SELECT fts3_tokenizer('simple')" "SELECT hex(fts3_tokenizer('simple'))" "SELECT sqlite_log(1, 'x')" \
           "SELECT sqlite_compileoption_get(0)" "SELECT count(*) FROM piece WHERE fts3_tokenizer('porter') IS NOT NULL"; do
    run_mhwopt risky query "$sql" --db "$db"
    expect risky 1 "query refused: the function"
    [[ ! -s "$SCRATCH/risky.out" ]] || fail "'$sql' printed: $(cat "$SCRATCH/risky.out")"
done
run_mhwopt risky query "PRAGMA journal_mode = delete" --db "$db"
expect risky 1 "refused: PRAGMA journal_mode with a value"
[[ "$(fingerprint "$db")" == "$before" ]] || fail "a query changed the database"

## generate: a filter no stored set passes is refused before anything is deleted, as run refuses it (item 1)
config="$FIXTURE/config.json"
empty="$SCRATCH/empty.db"  # a catalogue, no combinations yet
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$empty" -q
while IFS= read -r filters; do
    eval "args=($filters)"
    run_mhwopt run run "$FIXTURE/equipment.csv" "$SCRATCH/best.csv" "$config" -q "${args[@]}"
    expect run 1 "no set satisfies the filters:"
    tail -n +2 "$SCRATCH/run.err" > "$SCRATCH/run.why"
    [[ -s "$SCRATCH/run.why" ]] || fail "run $filters: no explanation"
    for target in "$db" "$empty"; do
        for mode in "--replace" "--replace --top 5 --config $config" "" "--top 5 --config $config"; do
            before=$(fingerprint "$target")
            runs_before=$(sqlite3 "$target" "SELECT count(*) FROM generation_run")
            run_mhwopt gen generate --db "$target" $mode "${args[@]}"
            [[ "$target" == "$db" && -z "$mode" || "$target" == "$db" && "$mode" == --top* ]] && continue  # refused: already holds sets
            expect gen 1 "no set satisfies the filters:"
            tail -n +2 "$SCRATCH/gen.err" | diff "$SCRATCH/run.why" - || fail "generate $mode $filters: not run's explanation"
            [[ "$(fingerprint "$target")" == "$before" ]] || fail "generate $mode $filters changed $target"
            [[ "$(sqlite3 "$target" "SELECT count(*) FROM generation_run")" == "$runs_before" ]] || fail "generate $mode $filters: a run row"
        done
    done
done <<'FILTERS'
--require "Atack Boost>=1"
--require "Attack Boost>=99"
--min-defence 100000
--require "Health Boost>=6" --require "Weakness Exploit>=3"
--exclude "Helm A" --exclude "Helm, B" --exclude "Helm C"
--pin "Helm C" --require "Health Boost>=6"
FILTERS
[[ "$(sqlite3 "$db" "SELECT count(*) FROM combination")" == 216 ]] || fail "stored sets lost"

# --top says what it stored: never "the best N" when fewer pass.
run_mhwopt top generate --db "$empty" --top 500 --config "$config" --require "Attack Boost>=9"
expect top 0 "Checked: "
grep -q "best 500" "$SCRATCH/top.err" && fail "--top claims a best 500: $(cat "$SCRATCH/top.err")"
grep -qF "every combination that passes the filters (fewer than the 500 asked for)" "$SCRATCH/top.err" ||
    fail "--top with fewer passing: $(cat "$SCRATCH/top.err")"

## score: refused before generate, nothing saved (item 14)
fresh="$SCRATCH/fresh.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$fresh" -q
before=$(fingerprint "$fresh")
for extra in "" "--no-save" "-o $SCRATCH/fresh.csv"; do
    run_mhwopt nothing score "$config" --db "$fresh" $extra
    expect nothing 1 "$fresh: no combinations stored; run mhwopt generate first"
    [[ ! -s "$SCRATCH/nothing.out" && ! -e "$SCRATCH/fresh.csv" ]] || fail "score before generate wrote a ranking ($extra)"
done
[[ "$(fingerprint "$fresh")" == "$before" ]] || fail "score before generate changed the database"
[[ "$(sqlite3 "$fresh" "SELECT count(*) FROM score_run")" == 0 ]] || fail "score before generate saved a run"

## score --where that nothing passes: exit 0, the header only, and said on stderr (issue 9)
run_mhwopt none score "$config" --db "$db" --where "defence > 100000" -q
[[ $status == 0 && $(wc -l < "$SCRATCH/none.out") == 1 ]] || fail "--where nothing passes: exit $status, $(cat "$SCRATCH/none.out")"
grep -qxF "warning: no stored combination passed --where; the output holds the header only" "$SCRATCH/none.err" ||
    fail "--where nothing passes: $(cat "$SCRATCH/none.err")"

## score -o: the output is checked before ranking, with the reason (item 13). The --where fails
## only when rows are ranked, so its error would come first if the output were opened after.
run_mhwopt unwritable score "$config" --db "$db" --no-save -o "$SCRATCH/missing/dir/best.csv" --where "piece(id, 'Hat') = 'x'"
expect unwritable 1 "$SCRATCH/missing/dir/best.csv: cannot write the output file in $SCRATCH/missing/dir: No such file or directory"
chmod 500 "$SCRATCH" && trap 'chmod 700 "$SCRATCH"; rm -rf "$SCRATCH"' EXIT
if ! touch "$SCRATCH/probe" 2> /dev/null; then  # not as root
    run_mhwopt denied score "$config" --db "$db" --no-save -o "$SCRATCH/best.csv" --where "piece(id, 'Hat') = 'x'"
    expect denied 1 "Permission denied"
fi
chmod 700 "$SCRATCH"; rm -f "$SCRATCH/probe"

## a reader of a WAL file copied without its -wal and -shm leaves no new files (item 10)
copy="$SCRATCH/copy.db"
cp "$db" "$copy"
[[ ! -e "$db-wal" ]] || fail "test set-up: $db has a -wal file"
before=$(sha256sum < "$copy")
for reader in "query SELECT_COUNT" "score --no-save" "report --run 1"; do
    case $reader in
        query*) run_mhwopt reader query "SELECT count(*) FROM combination" --db "$copy" ;;
        score*) run_mhwopt reader score "$config" --db "$copy" --no-save -q ;;
        report*) "$MHWOPT" score "$config" --db "$db" -q > /dev/null; cp "$db" "$copy"; before=$(sha256sum < "$copy")
                 run_mhwopt reader report --run 1 --db "$copy" -q ;;
    esac
    [[ $status == 0 ]] || fail "$reader on a copied WAL file: exit $status: $(cat "$SCRATCH/reader.err")"
    [[ ! -e "$copy-wal" && ! -e "$copy-shm" ]] || fail "$reader left $(ls "$copy"-*)"
    [[ "$(sha256sum < "$copy")" == "$before" ]] || fail "$reader changed the file"
done
# While another process uses the WAL, its files are left alone (removing them would be unsafe).
python3 -c "
import sqlite3, sys, time
c = sqlite3.connect('$copy')
c.execute('BEGIN'); c.execute('SELECT count(*) FROM combination').fetchall()
print('open', flush=True)
sys.stdin.readline()
c.rollback(); c.close()
" < <(sleep 3) > "$SCRATCH/holder.out" &
holder=$!
for _ in $(seq 1 100); do [[ -s "$SCRATCH/holder.out" ]] && break; sleep 0.05; done
run_mhwopt reader query "SELECT count(*) FROM combination" --db "$copy"
[[ $status == 0 ]] || fail "query beside another reader: $(cat "$SCRATCH/reader.err")"
[[ -e "$copy-wal" && -e "$copy-shm" ]] || fail "the WAL files of a connection still open were removed"
wait "$holder"
[[ ! -e "$copy-wal" && ! -e "$copy-shm" ]] || fail "the other reader left its files"

## the extension in the sqlite3 shell on a file that holds no catalogue (issue 9)
extension="$BUILD_DIR/libmhwopt_sqlite"
if command -v sqlite3 > /dev/null && [[ -f "$extension.so" ]]; then
    source "$(dirname "$0")/extension_shell.sh"
    use_extension_runtimes "$extension.so"
    shell() { sqlite3 "$@"; }
    other="$SCRATCH/other.db"
    shell "$other" "CREATE TABLE t(x)"
    set +e
    shell "$other" ".load $extension" "SELECT skill(1, 'Attack Boost')" > /dev/null 2> "$SCRATCH/load.err"
    set -e
    grep -qF "this database holds no mhwopt catalogue; run mhwopt import first" "$SCRATCH/load.err" || fail ".load: $(cat "$SCRATCH/load.err")"
    grep -q "no such table" "$SCRATCH/load.err" && fail ".load: $(cat "$SCRATCH/load.err")"
    # The shell itself creates a missing file when it opens it; -readonly (as documented) does not.
    set +e
    shell -readonly "$SCRATCH/typo.db" ".load $extension" "SELECT skill(1, 'Attack Boost')" > /dev/null 2>&1
    set -e
    [[ ! -e "$SCRATCH/typo.db" ]] || fail "sqlite3 -readonly created a missing database"
fi
