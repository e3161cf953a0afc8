# kill -9 in the middle of `generate`, then `generate --resume`: exactly one row per combination.
# Also Ctrl-C (SIGINT): the open batch rolls back, exit code 130, and --resume finishes the job.
source "$(dirname "$0")/db_common.sh"

# A synthetic catalogue big enough to be caught mid-run, small enough for a slow CI machine:
# 12^5 x 2 = 497,664 combinations, 25 batches of 20,000.
equipment="$SCRATCH/big.csv"
head -1 "$FIXTURE/equipment.csv" > "$equipment"
for part in Head Body Arms Waist Legs; do
    for i in $(seq 1 12); do echo "$part piece $i,Attack Boost,$((i % 3)),Handicraft,1,1,0,0,$((i % 2)),$part,$((60 + i))"; done >> "$equipment"
done
for i in $(seq 1 2); do echo "Charm $i,Critical Eye,$i,,,,,,,Charm," >> "$equipment"; done

check_complete() {  # db expected_count
    local stats
    stats=$("$MHWOPT" query "SELECT count(*), min(id), max(id), sum(id) FROM combination" --db "$1" --csv | tail -1)
    local n=$2
    [[ "$stats" == "$n,0,$((n - 1)),$((n * (n - 1) / 2))" ]] || fail "expected $n rows 0..$((n - 1)), found count,min,max,sum = $stats"
    local integrity
    integrity=$(sqlite3 "$1" "PRAGMA integrity_check" 2>/dev/null || echo "sqlite3 shell missing")
    [[ "$integrity" == ok || "$integrity" == "sqlite3 shell missing" ]] || fail "integrity_check: $integrity"
}

for signal in KILL INT; do
    db="$SCRATCH/resume_$signal.db"
    "$MHWOPT" import "$equipment" --db "$db" -q
    total=$("$MHWOPT" query "SELECT combination_count FROM catalogue" --db "$db" --csv | tail -1)
    "$MHWOPT" generate --db "$db" --batch-size 20000 -q &
    pid=$!
    # Wait for some committed rows, so the signal lands mid-run.
    for _ in $(seq 1 200); do
        rows=$("$MHWOPT" query "SELECT rows_written FROM generation_run" --db "$db" --csv 2>/dev/null | tail -1 || true)
        [[ "$rows" =~ ^[0-9]+$ && "$rows" -gt 0 ]] && break
        sleep 0.02
    done
    kill -s "$signal" "$pid" 2>/dev/null || true
    set +e
    wait "$pid"
    status=$?
    set -e
    committed=$("$MHWOPT" query "SELECT count(*) FROM combination" --db "$db" --csv | tail -1)
    recorded=$("$MHWOPT" query "SELECT rows_written FROM generation_run" --db "$db" --csv | tail -1)
    [[ "$committed" == "$recorded" ]] || fail "$signal: table holds $committed rows, run row says $recorded"
    if [[ $signal == INT && $status -ne 0 ]]; then
        [[ $status == 130 ]] || fail "SIGINT: exit code $status, expected 130"
        run_status=$("$MHWOPT" query "SELECT status FROM generation_run" --db "$db" --csv | tail -1)
        [[ "$run_status" == interrupted ]] || fail "SIGINT: run status $run_status"
    fi
    echo "$signal: stopped after $committed of $total rows (exit $status)"
    if "$MHWOPT" generate --db "$db" -q 2>/dev/null && [[ "$committed" -lt "$total" ]]; then
        fail "generate without --resume over an interrupted run should be refused"
    fi
    "$MHWOPT" generate --db "$db" --resume 2> "$SCRATCH/resume.err"
    grep -q "exactly the product" "$SCRATCH/resume.err" || fail "resume did not report the count check: $(cat "$SCRATCH/resume.err")"
    check_complete "$db" "$total"
    # Resuming a finished run changes nothing and says so.
    "$MHWOPT" generate --db "$db" --resume 2> "$SCRATCH/again.err"
    grep -q "Nothing to resume" "$SCRATCH/again.err" || fail "second resume: $(cat "$SCRATCH/again.err")"
    check_complete "$db" "$total"
done

# --resume with nothing interrupted simply generates.
db="$SCRATCH/fresh.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" -q
"$MHWOPT" generate --db "$db" --resume -q
check_complete "$db" 216
echo "ok"
