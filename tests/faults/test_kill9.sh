# kill -9 at 20 random moments of `generate`, in each journal mode (WAL and DELETE). After every
# kill: PRAGMA integrity_check is exactly "ok" and the table holds exactly the rows the run row says
# were committed. The killed runs are continued with --resume, and the end result holds exactly the
# ids of a clean, uninterrupted run (count, min, max, sum and a hash over the ids).
source "$(dirname "$0")/faults_common.sh"

KILLS=${FAULTS_KILLS:-20}
# 16^5 x 2 = 2,097,152 combinations in batches of 20,000: a clean run takes 1 to 4 s here.
equipment="$SCRATCH/equipment.csv"
synthetic_catalogue "$equipment" 16 2
total=$((16 ** 5 * 2))

for mode in wal delete; do
    clean="$SCRATCH/clean_$mode.db"
    "$MHWOPT" import "$equipment" --db "$clean" --journal-mode "$mode" -q
    started=$(date +%s%N)
    "$MHWOPT" generate --db "$clean" --batch-size 20000 -q
    run_ms=$(( ($(date +%s%N) - started) / 1000000 ))
    # Start-up (opening, quick_check, counting) of a full database: the longest it gets.
    started=$(date +%s%N)
    "$MHWOPT" generate --db "$clean" --resume -q
    startup_ms=$(( ($(date +%s%N) - started) / 1000000 ))
    # Random moments up to start-up plus one and a half 1/KILLS shares of the run: the kills land anywhere
    # from opening to the last batches, and KILLS of them rarely reach the end (measured here, so
    # a slower or faster machine gets the same spread).
    window_ms=$(( startup_ms + 3 * run_ms / (2 * KILLS) ))
    echo "$mode: a clean run takes ${run_ms} ms, start-up ${startup_ms} ms: kills within ${window_ms} ms of each start"
    clean_stats=$(id_stats "$clean")
    [[ "$clean_stats" == "$total|0|$((total - 1))|$((total * (total - 1) / 2))|"* ]] || fail "$mode: clean run: $clean_stats"
    [[ "$(sql "$clean" "PRAGMA journal_mode")" == "$mode" ]] || fail "$mode: the clean database is not in journal mode $mode"

    db="$SCRATCH/killed_$mode.db"
    "$MHWOPT" import "$equipment" --db "$db" --journal-mode "$mode" -q
    previous=0
    kills=0
    attempts=0
    how=--resume
    # Until KILLS kills have landed in a running generate. The first run starts the generation and
    # later ones continue it (or start it, when the first died before its run row was committed);
    # should one finish, the next starts over with --replace, so every kill still lands mid-run.
    while (( kills < KILLS )); do
        attempts=$((attempts + 1))
        (( attempts <= 3 * KILLS )) || fail "$mode: only $kills of $KILLS kills landed in $attempts runs"
        delay_ms=$(( (RANDOM * 32768 + RANDOM) % window_ms ))
        delay=$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))
        "$MHWOPT" generate --db "$db" --batch-size 20000 $how -q 2> "$SCRATCH/gen.err" &
        pid=$!
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null || true
        set +e
        { wait "$pid"; } 2>/dev/null  # no "Killed" job notice
        code=$?
        set -e
        [[ $code == 137 || $code == 0 ]] || fail "$mode run $attempts ($how): generate exited $code before the kill: $(cat "$SCRATCH/gen.err")"
        committed=$(check_consistent "$db" "$mode run $attempts ($how) killed after ${delay}s")
        if [[ $code == 0 ]]; then
            echo "$mode run $attempts ($how): finished before the kill at ${delay}s with $committed rows; the next run starts over"
            how=--replace
            previous=0
            continue
        fi
        kills=$((kills + 1))
        [[ $how == --replace || $committed -ge $previous ]] || fail "$mode kill $kills: rows went down from $previous to $committed"
        previous=$committed
        echo "$mode kill $kills ($how) after ${delay}s: $committed rows committed"
        how=--resume
    done
    "$MHWOPT" generate --db "$db" --resume 2> "$SCRATCH/resume.err" || fail "$mode: final resume: $(cat "$SCRATCH/resume.err")"
    grep -qE "exactly the product|Nothing to resume" "$SCRATCH/resume.err" || fail "$mode: resume did not check the count: $(cat "$SCRATCH/resume.err")"
    check_consistent "$db" "$mode after resume" > /dev/null
    stats=$(id_stats "$db")
    [[ "$stats" == "$clean_stats" ]] || fail "$mode: after the kills and --resume: count|min|max|sum|hash = $stats, clean run: $clean_stats"
    [[ "$(sql "$db" "SELECT status FROM generation_run ORDER BY id DESC LIMIT 1")" == finished ]] || fail "$mode: run not finished"
    [[ "$(sql "$db" "PRAGMA journal_mode")" == "$mode" ]] || fail "$mode: the journal mode changed"
done
echo "ok"
