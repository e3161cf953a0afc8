# One writer per generation run (issue 13 item 3): while a generate runs, a second one (--resume,
# --replace, plain) is refused with the live writer's pid and changes nothing; once the first is
# killed with kill -9, --resume takes its run over and ends exact. And score refuses to rank the
# unfinished run without --partial (item 2).
source "$(dirname "$0")/faults_common.sh"

equipment="$SCRATCH/equipment.csv"
synthetic_catalogue "$equipment" 16 2  # 2,097,152 combinations
db="$SCRATCH/one.db"
"$MHWOPT" import "$equipment" --db "$db" -q

# Small batches: the run takes several seconds, committing all along.
"$MHWOPT" generate --db "$db" --batch-size 2000 -q 2> "$SCRATCH/first.err" &
first=$!
CLEANUP+=("kill -9 $first 2> /dev/null")
for _ in $(seq 1 200); do
    [[ "$(sql "$db" "SELECT coalesce(max(rows_written), 0) FROM generation_run" 2> /dev/null)" -gt 0 ]] 2> /dev/null && break
    sleep 0.05
done
kill -0 "$first" 2> /dev/null || fail "the first generate ended before the test could start a second: $(cat "$SCRATCH/first.err")"

for how in "--resume" "--replace" "" "--replace --min-defence 10"; do
    run_mhwopt second generate --db "$db" $how -q
    expect_failure second 1 "another mhwopt generate (process $first) is writing to this database"
    kill -0 "$first" 2> /dev/null || fail "generate $how: the first generate stopped: $(cat "$SCRATCH/first.err")"
done
# import --replace of another catalogue would drop the sets being written: refused the same way.
synthetic_catalogue "$SCRATCH/other.csv" 4 2
run_mhwopt other_import import "$SCRATCH/other.csv" --db "$db" --replace -q
expect_failure other_import 1 "another mhwopt generate (process $first) is writing to this database"
# score refuses a generation still being written (issue 13 item 2), naming its writer.
run_mhwopt live_score score "$FIXTURE/config.json" --db "$db" --no-save -q
expect_failure live_score 1 "generation run 1 is still being written (process $first) ("
grep -qF "of 2,097,152 combinations stored); ranking it would rank only those. Finish it with 'mhwopt generate --resume', or rank what is stored with --partial" \
    "$SCRATCH/live_score.err" || fail "score while generating: $(cat "$SCRATCH/live_score.err")"
[[ ! -s "$SCRATCH/live_score.out" ]] || fail "score while generating printed a ranking"
[[ "$(sql "$db" "SELECT count(*) || ' ' || group_concat(status) FROM generation_run")" == "1 running" ]] ||
    fail "a second generate touched the run table: $(sql "$db" "SELECT * FROM generation_run")"

kill -9 "$first"
wait "$first" 2> /dev/null || true
[[ -e "$db-lock" ]] || fail "expected the killed writer's lock file to be left"
committed=$(check_consistent "$db" "after kill -9")
echo "killed after $committed rows"
# After the kill: refused without --partial; with it, ranked and the share said.
run_mhwopt dead_score score "$FIXTURE/config.json" --db "$db" --no-save -q
expect_failure dead_score 1 "generation run 1 was stopped before it finished ($(python3 -c "print(f'{$committed:,}')") of 2,097,152 combinations stored)"
[[ ! -s "$SCRATCH/dead_score.out" ]] || fail "score of a killed generation printed a ranking"
run_mhwopt partial score "$FIXTURE/config.json" --db "$db" --no-save -q --partial
[[ $status == 0 && $(wc -l < "$SCRATCH/partial.out") -gt 1 ]] || fail "score --partial: exit $status: $(cat "$SCRATCH/partial.err")"
grep -qF "warning: generation run 1 was stopped before it finished: ranking only the $(python3 -c "print(f'{$committed:,}')") of 2,097,152 combinations stored (--partial)" \
    "$SCRATCH/partial.err" || fail "score --partial: $(cat "$SCRATCH/partial.err")"
run_mhwopt resumed generate --db "$db" --resume
[[ $status == 0 ]] || fail "--resume after the writer was killed: exit $status: $(cat "$SCRATCH/resumed.err")"
grep -qF "Checked: 2,097,152 combinations stored, exactly" "$SCRATCH/resumed.err" || fail "resume: $(cat "$SCRATCH/resumed.err")"
[[ ! -e "$db-lock" ]] || fail "the lock file was left after a clean run"
echo "ok"
