# generate --top N --config stores exactly run's best N (score over them gives run's CSV), resumes
# after kill -9 to the same set, and import --format mhworld reads the community data set's CSVs.
source "$(dirname "$0")/db_common.sh"

equipment="$SOURCE_DIR/example_data/equipment.csv"
config="$SOURCE_DIR/example_data/config.json"
db="$SCRATCH/top.db"
"$MHWOPT" import "$equipment" --db "$db" -q
"$MHWOPT" generate --db "$db" --top 40 --config "$config" 2> "$SCRATCH/top.err"
grep -q "exactly the best 40" "$SCRATCH/top.err" || fail "generate --top did not report its count check: $(cat "$SCRATCH/top.err")"
n=$("$MHWOPT" query "SELECT count(*) FROM combination" --db "$db" --csv | tail -1)
[[ "$n" == 40 ]] || fail "generate --top 40 stored $n rows"
"$MHWOPT" run "$equipment" "$SCRATCH/run40.csv" "$config" --limit 40 -q 2>/dev/null
"$MHWOPT" score "$config" --limit 40 --db "$db" -o "$SCRATCH/score40.csv" -q 2>/dev/null
cmp "$SCRATCH/run40.csv" "$SCRATCH/score40.csv" || fail "the stored top 40 ranked by score differ from run's top 40"
top=$("$MHWOPT" query "SELECT top_n, config_text IS NOT NULL, status FROM generation_run" --db "$db" --csv | tail -1)
[[ "$top" == "40,1,finished" ]] || fail "run row: $top"

# With filters: the best 10 of those that pass, equal to run with the same filters.
"$MHWOPT" generate --db "$db" --replace --top 10 --config "$config" --min-defence 225 -q
"$MHWOPT" run "$equipment" "$SCRATCH/run10.csv" "$config" --limit 10 --min-defence 225 -q 2>/dev/null
"$MHWOPT" score "$config" --limit 10 --db "$db" --no-save -o "$SCRATCH/score10.csv" -q 2>/dev/null
cmp "$SCRATCH/run10.csv" "$SCRATCH/score10.csv" || fail "top 10 with --min-defence differs from run's"

# Asking for more than exist stores all of them.
"$MHWOPT" generate --db "$db" --replace --top 1000000 --config "$config" -q
n=$("$MHWOPT" query "SELECT count(*) FROM combination" --db "$db" --csv | tail -1)
[[ "$n" == 32400 ]] || fail "--top larger than the catalogue stored $n of 32400"

# --top without --config is a usage error (64), and changes nothing.
set +e
"$MHWOPT" generate --db "$db" --replace --top 5 2> "$SCRATCH/usage.err"
status=$?
set -e
[[ $status == 64 ]] || fail "--top without --config: exit $status, expected 64"
grep -q -- "--config" "$SCRATCH/usage.err" || fail "--top without --config: $(cat "$SCRATCH/usage.err")"

# kill -9 in the middle of a --top run, then --resume: the same keys as a clean run.
"$MHWOPT" generate --db "$db" --replace --top 20000 --config "$config" --batch-size 50 -q
clean=$("$MHWOPT" query "SELECT count(*), sum(id), min(id), max(id) FROM combination" --db "$db" --csv | tail -1)
"$MHWOPT" generate --db "$db" --replace --top 20000 --config "$config" --batch-size 10 -q &
pid=$!
for _ in $(seq 1 500); do  # until some batches are committed
    rows=$("$MHWOPT" query "SELECT rows_written FROM generation_run WHERE status = 'running'" --db "$db" --csv 2>/dev/null | tail -1 || true)
    [[ "$rows" =~ ^[0-9]+$ && "$rows" -gt 0 ]] && break
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
killed=$("$MHWOPT" query "SELECT status, rows_written FROM generation_run ORDER BY id DESC LIMIT 1" --db "$db" --csv | tail -1)
[[ "$killed" == running,* ]] || fail "the kill did not land mid-run (latest run: $killed)"
echo "kill -9 during generate --top: stopped at $killed"
"$MHWOPT" generate --db "$db" --resume -q
again=$("$MHWOPT" query "SELECT count(*), sum(id), min(id), max(id) FROM combination" --db "$db" --csv | tail -1)
[[ "$again" == "$clean" ]] || fail "--top run resumed after kill -9: $again, clean run: $clean"

# import --format mhworld, then score equals run --format mhworld.
mh="$SOURCE_DIR/tests/fixtures/mhworld"
"$MHWOPT" import --format mhworld "$mh" --db "$SCRATCH/mh.db" -q
"$MHWOPT" generate --db "$SCRATCH/mh.db" -q
"$MHWOPT" run --format mhworld "$mh" "$SCRATCH/mh_run.csv" "$config" -q 2>/dev/null
"$MHWOPT" score "$config" --db "$SCRATCH/mh.db" -o "$SCRATCH/mh_score.csv" -q 2>/dev/null
cmp "$SCRATCH/mh_run.csv" "$SCRATCH/mh_score.csv" || fail "import --format mhworld: score differs from run --format mhworld"
echo "ok"
