# Ctrl-C (SIGINT) during `generate`, at random moments after the first commit, in each journal
# mode: the open batch rolls back (the table holds whole batches only, exactly what the run row
# says), the exit code is 130 with "interrupted" said once, the run is marked interrupted, and
# --resume ends with exactly the ids of a clean run. Also Ctrl-C stops a long `query` (exit 130).
source "$(dirname "$0")/faults_common.sh"

equipment="$SCRATCH/equipment.csv"
synthetic_catalogue "$equipment" 16 2
total=$((16 ** 5 * 2))
batch=20000  # not a multiple of the rows an INSERT carries: batches must still be exact
expected_stats="$total|0|$((total - 1))|$((total * (total - 1) / 2))"

# Waits until the latest run has committed at least one batch more than $1 (or the process ended).
wait_for_commit_after() {  # rows db pid
    local rows
    for _ in $(seq 1 500); do
        rows=$(sql "$2" "SELECT coalesce((SELECT rows_written FROM generation_run ORDER BY id DESC LIMIT 1), 0)" 2>/dev/null || echo 0)
        [[ "$rows" =~ ^[0-9]+$ && $rows -gt $1 ]] && return 0
        kill -0 "$3" 2>/dev/null || return 0
        sleep 0.01
    done
}

for mode in wal delete; do
    db="$SCRATCH/int_$mode.db"
    "$MHWOPT" import "$equipment" --db "$db" --journal-mode "$mode" -q
    committed=0
    interrupts=0
    for attempt in 1 2 3; do
        set +e
        "$MHWOPT" generate --db "$db" --batch-size $batch --resume > /dev/null 2> "$SCRATCH/gen.err" &
        pid=$!
        set -e
        wait_for_commit_after "$committed" "$db" "$pid"
        # Then a random moment inside a later batch.
        sleep "$(printf '0.%03d' $((RANDOM % 100)))"
        kill -INT "$pid" 2>/dev/null || true
        set +e
        wait "$pid"
        code=$?
        set -e
        if [[ $code == 0 ]]; then
            echo "$mode attempt $attempt: the run finished before the signal"
            break
        fi
        interrupts=$((interrupts + 1))
        [[ $code == 130 ]] || fail "$mode attempt $attempt: exit code $code, expected 130: $(cat "$SCRATCH/gen.err")"
        [[ "$(grep -c 'mhwopt: interrupted' "$SCRATCH/gen.err")" == 1 ]] ||
            fail "$mode attempt $attempt: expected 'mhwopt: interrupted' once (a clean stop, not death by signal): $(cat "$SCRATCH/gen.err")"
        committed=$(check_consistent "$db" "$mode SIGINT $attempt")
        (( committed % batch == 0 )) || fail "$mode attempt $attempt: $committed rows is not whole batches of $batch: the open batch was not rolled back"
        [[ "$(sql "$db" "SELECT status FROM generation_run ORDER BY id DESC LIMIT 1")" == interrupted ]] ||
            fail "$mode attempt $attempt: the run is not marked interrupted"
        [[ "$(sql "$db" "SELECT max(id) + 1 FROM combination") " == "$(sql "$db" "SELECT next_key FROM generation_run") " ]] ||
            fail "$mode attempt $attempt: next_key does not follow the last stored id"
        echo "$mode SIGINT $attempt: exit 130, $committed rows committed"
    done
    [[ $interrupts -gt 0 ]] || fail "$mode: no SIGINT landed during the run; the catalogue is too small for this machine"
    "$MHWOPT" generate --db "$db" --resume 2> "$SCRATCH/resume.err" || fail "$mode: resume: $(cat "$SCRATCH/resume.err")"
    grep -qE "exactly the product|Nothing to resume" "$SCRATCH/resume.err" || fail "$mode: resume did not check the count: $(cat "$SCRATCH/resume.err")"
    check_consistent "$db" "$mode after resume" > /dev/null
    [[ "$(id_stats "$db")" == "$expected_stats|"* ]] || fail "$mode: after resume: $(id_stats "$db"), expected $expected_stats"
done

# A query that would run for ever stops cleanly on Ctrl-C.
interrupt_mhwopt query 0.5 query "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n" --db "$db"
expect_failure query 130 "mhwopt: interrupted"
echo "ok"
