# import -> generate -> score gives exactly `mhwopt run`'s CSV, on every data set available;
# a second config re-scores the same rows without regenerating.
source "$(dirname "$0")/db_common.sh"

while read -r name equipment config; do
    db="$SCRATCH/$name.db"
    "$MHWOPT" import "$equipment" --db "$db" -q
    "$MHWOPT" generate --db "$db" -q
    "$MHWOPT" run "$equipment" "$SCRATCH/$name.run.csv" "$config" -q 2>/dev/null
    "$MHWOPT" score "$config" --db "$db" -o "$SCRATCH/$name.score.csv" -q 2>/dev/null
    cmp "$SCRATCH/$name.run.csv" "$SCRATCH/$name.score.csv" || fail "$name: score differs from run"
    "$MHWOPT" score "$config" --db "$db" --threads 1 --no-save -q 2>/dev/null > "$SCRATCH/$name.stdout.csv"
    cmp "$SCRATCH/$name.run.csv" "$SCRATCH/$name.stdout.csv" || fail "$name: single-connection score differs from run"

    other="$FIXTURE/other_config.json"
    "$MHWOPT" run "$equipment" "$SCRATCH/$name.run2.csv" "$other" --limit 12 -q 2>/dev/null
    "$MHWOPT" score "$other" --limit 12 --db "$db" -o "$SCRATCH/$name.score2.csv" -q 2>/dev/null
    cmp "$SCRATCH/$name.run2.csv" "$SCRATCH/$name.score2.csv" || fail "$name: score with another config differs from run"

    # The saved rankings are in the database, best first.
    runs=$("$MHWOPT" query "SELECT count(*) FROM score_run" --db "$db" --csv | tail -1)
    [[ "$runs" == 2 ]] || fail "$name: expected 2 saved score runs, found $runs"
    top=$("$MHWOPT" query "SELECT combination FROM score_result WHERE run = 2 AND rank = 1" --db "$db" --csv | tail -1)
    again=$("$MHWOPT" query "SELECT id FROM combination ORDER BY score(id) DESC, id LIMIT 1" --db "$db" --csv | tail -1)
    [[ "$top" == "$again" ]] || fail "$name: score(id) without a config should use the latest saved run ($top vs $again)"

    # --where filters on combination_detail's columns and the functions.
    "$MHWOPT" score "$config" --db "$db" --no-save -q --limit 3 --where "defence >= 0 AND skill(id, 'No Such Skill') = 0" > "$SCRATCH/w.csv"
    head -4 "$SCRATCH/$name.run.csv" | cut -d, -f1-6 > "$SCRATCH/expected_top3"
    head -4 "$SCRATCH/w.csv" | cut -d, -f1-6 > "$SCRATCH/got_top3"
    if [[ $(wc -l < "$SCRATCH/$name.run.csv") -ge 4 ]]; then
        cmp "$SCRATCH/expected_top3" "$SCRATCH/got_top3" || fail "$name: --where that passes everything changed the ranking"
    fi
done < <(data_sets)

# Filtered generation stores only what passes, and says it checked the count.
db="$SCRATCH/filtered.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" -q
# (109 of the 216 pass: a filter nothing passes is refused, see test_db_reliability.sh)
"$MHWOPT" generate --db "$db" --min-defence 340 --require "Attack Boost>=4" --exclude "Charm C" 2> "$SCRATCH/gen.err"
grep -q "pass the filters" "$SCRATCH/gen.err" || fail "filtered generate did not report its check"
stored=$("$MHWOPT" query "SELECT count(*) FROM combination" --db "$db" --csv | tail -1)
(( stored > 0 && stored < 216 )) || fail "filtered generate stored $stored rows, expected some of the 216"
bad=$("$MHWOPT" query "SELECT count(*) FROM combination_detail WHERE defence < 340 OR skill(id, 'Attack Boost') < 4 OR charm = 'Charm C'" --db "$db" --csv | tail -1)
[[ "$bad" == 0 ]] || fail "filtered generate stored $bad rows that fail the filters"
filters=$("$MHWOPT" query "SELECT filters FROM generation_run" --db "$db" --csv | tail -1)
[[ "$filters" == *'--min-defence 340'* && "$filters" == *'Attack Boost>=4'* && "$filters" == *'Charm C'* ]] || fail "run row lacks the filters: $filters"

# Re-import is refused over combinations, and --replace drops them in the same transaction.
if "$MHWOPT" import "$FIXTURE/equipment.csv" --db "$SCRATCH/fixture.db" -q; then :; else fail "re-importing the same catalogue should be a no-op"; fi
sed 's/Helm A,Attack Boost,2/Helm A,Attack Boost,3/' "$FIXTURE/equipment.csv" > "$SCRATCH/changed.csv"
if "$MHWOPT" import "$SCRATCH/changed.csv" --db "$SCRATCH/fixture.db" 2> "$SCRATCH/err"; then fail "re-import over combinations was not refused"; fi
grep -q -- "--replace" "$SCRATCH/err" || fail "the refusal should mention --replace"
"$MHWOPT" import "$SCRATCH/changed.csv" --db "$SCRATCH/fixture.db" --replace -q
n=$("$MHWOPT" query "SELECT count(*) FROM combination" --db "$SCRATCH/fixture.db" --csv | tail -1)
[[ "$n" == 0 ]] || fail "--replace left $n combinations"

# A bad equipment file leaves an existing database byte-identical.
before=$(sha256sum < "$SCRATCH/fixture.db")
printf 'Piece,a,b\nbroken\n' > "$SCRATCH/bad.csv"
if "$MHWOPT" import "$SCRATCH/bad.csv" --db "$SCRATCH/fixture.db" --replace 2>/dev/null; then fail "a bad file was imported"; fi
[[ "$(sha256sum < "$SCRATCH/fixture.db")" == "$before" ]] || fail "a bad import changed the database"
echo "ok"
