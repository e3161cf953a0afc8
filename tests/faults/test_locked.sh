# Another writer holds the database (a sqlite3 shell inside BEGIN IMMEDIATE), in each journal
# mode: every writing command (import, generate, score) waits the 5 s busy timeout, then fails with
# "database is locked by another process" and exit code 1, having written nothing (the content hash
# and the file's bytes are unchanged). Readers (query, score --no-save) are not blocked.
source "$(dirname "$0")/faults_common.sh"

other="$SCRATCH/other.csv"
synthetic_catalogue "$other" 3 2
holder_pid=""
CLEANUP+=('[[ -n "$holder_pid" ]] && kill "$holder_pid" 2>/dev/null')

for mode in wal delete; do
    db="$SCRATCH/locked_$mode.db"
    "$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --journal-mode "$mode" -q
    "$MHWOPT" generate --db "$db" -q
    before_content=$(content_hash "$db")
    before_file=$(file_hash "$db")

    coproc HOLDER { sqlite3 -batch "$db"; }
    holder_pid=$HOLDER_PID
    echo "BEGIN IMMEDIATE; SELECT 'held';" >&"${HOLDER[1]}"
    read -r -t 10 held <&"${HOLDER[0]}" || true
    [[ "$held" == held ]] || fail "$mode: the sqlite3 shell did not take the write lock"

    for command in "import $other --replace" "generate --replace" "score $FIXTURE/config.json -o $SCRATCH/best.csv"; do
        name=${command%% *}_$mode
        started=$(date +%s%N)
        # shellcheck disable=SC2086 # the command's words
        run_mhwopt "$name" $command --db "$db" -q
        waited_ms=$(( ($(date +%s%N) - started) / 1000000 ))
        expect_failure "$name" 1 "database is locked by another process"
        [[ $waited_ms -ge 4500 ]] || fail "$name: failed after $waited_ms ms, before the 5 s busy timeout"
        [[ $waited_ms -lt 30000 ]] || fail "$name: took $waited_ms ms; the busy timeout is 5 s"
        [[ "$(grep -c . "$SCRATCH/$name.err")" == 1 ]] || fail "$name: the error should be said once: $(cat "$SCRATCH/$name.err")"
        echo "$mode $name: exit 1 after $waited_ms ms: $(cat "$SCRATCH/$name.err")"
    done
    # Readers go on while the other process writes.
    run_mhwopt query_$mode query "SELECT count(*) FROM combination" --db "$db" --csv
    [[ $status == 0 && "$(tail -1 "$SCRATCH/query_$mode.out")" == 216 ]] || fail "$mode: query while locked: $(cat "$SCRATCH/query_$mode.err")"
    run_mhwopt score_no_save_$mode score "$FIXTURE/config.json" --no-save --db "$db" -q
    [[ $status == 0 ]] || fail "$mode: score --no-save while locked: $(cat "$SCRATCH/score_no_save_$mode.err")"

    printf 'ROLLBACK;\n.quit\n' >&"${HOLDER[1]}"
    wait "$holder_pid" || true
    holder_pid=""
    [[ "$(content_hash "$db")" == "$before_content" ]] || fail "$mode: the database's content changed"
    [[ "$(file_hash "$db")" == "$before_file" ]] || fail "$mode: the database file changed"
    [[ "$(sql "$db" "SELECT count(*) FROM score_run")" == 0 ]] || fail "$mode: a score run was saved"
done
echo "ok"
