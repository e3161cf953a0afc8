# Decorated results stay tied to the decorations they came from (issue 18, 6a): a decorated
# generate --top and a decorated score record a digest of the stored decorations; importing other
# decorations over sets chosen with them is refused without --replace (which drops them); an import
# without --decorations keeps the stored ones; --resume, score --decorations and report --run refuse
# (or, for runs recorded before schema 8, warn) when the stored decorations are not a run's.
source "$(dirname "$0")/db_common.sh"

equipment="$FIXTURE/equipment.csv"
config="$FIXTURE/config.json"
# A and B: B owns no Power Jewel and more Guts, so the best placements, and the best sets, differ.
cat > "$SCRATCH/a.csv" <<'CSV'
Decoration,Size,Skill 1,Level,Skill 2,Level,Count
Power Jewel 4,4,Attack Boost,3,Critical Eye,2,1
Expert Jewel 2,2,Critical Eye,2,,,2
Vital Jewel 1,1,Health Boost,3,,,
Guts Jewel 1,1,Guts,5,,,2
Fortify Jewel 4,4,Guts,2,Defence Boost,7,1
CSV
sed -e 's/^Power Jewel 4,4,Attack Boost,3,Critical Eye,2,1$/Power Jewel 4,4,Attack Boost,3,Critical Eye,2,0/' \
    -e 's/^Guts Jewel 1,1,Guts,5,,,2$/Guts Jewel 1,1,Guts,5,,,/' "$SCRATCH/a.csv" > "$SCRATCH/b.csv"
cmp -s "$SCRATCH/a.csv" "$SCRATCH/b.csv" && fail "B is A: nothing would be tested"
slots=(--weapon-slots 4,4,2)
for list in a b; do
    "$MHWOPT" run "$equipment" "$SCRATCH/run_$list.csv" "$config" --decorations "$SCRATCH/$list.csv" "${slots[@]}" -q
done
cmp -s "$SCRATCH/run_a.csv" "$SCRATCH/run_b.csv" && fail "run gives the same best sets with A and B: nothing would be tested"

db="$SCRATCH/deco.db"
# DELETE journal mode: the file alone is the database, so refusals are checked byte for byte.
"$MHWOPT" import "$equipment" --db "$db" --decorations "$SCRATCH/a.csv" --journal-mode delete -q
"$MHWOPT" generate --db "$db" --top 5 --config "$config" --decorations "${slots[@]}" -q
query() { "$MHWOPT" query "$1" --db "$db" --csv | tail -n +2; }
sql_write() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' "$db" "$1"; }
hash_a=$(query "SELECT decorations_hash FROM generation_run")
[[ "$hash_a" == fnv1a64:* ]] || fail "the decorated generation recorded no decorations digest: '$hash_a'"

# expect NAME STATUS STDERR ARGS...: exit status and stderr exactly, the database byte-identical.
expect() {
    local name=$1 expected=$2 message=$3 before
    shift 3
    before=$(sha256sum "$db" | cut -d' ' -f1)
    run_mhwopt "$name" "$@"
    [[ $status == "$expected" ]] || fail "$name: exit $status, expected $expected ($(cat "$SCRATCH/$name.err"))"
    # Warnings aside: a decoration file's skill that no piece has is said on a line of its own.
    [[ "$(grep -v '^warning: ' "$SCRATCH/$name.err" || true)" == "$message" ]] || fail "$name: said '$(cat "$SCRATCH/$name.err")', expected '$message'"
    [[ "$(sha256sum "$db" | cut -d' ' -f1)" == "$before" ]] || fail "$name: the database changed"
}

# The same catalogue without --decorations: nothing to do, the decorations stay.
catalogue_hash=$(query "SELECT content_hash FROM catalogue")
expect same_catalogue 0 "$db: the catalogue is unchanged ($catalogue_hash); nothing to do" import "$equipment" --db "$db"
[[ "$(query "SELECT count(*) FROM decoration")" == 5 ]] || fail "an import without --decorations dropped the stored decorations"

# The same, with decorations of the equipment's own skills (the catalogue's hash is then unchanged).
printf 'Decoration,Size,Skill 1,Level,Skill 2,Level\nAttack Jewel 1,1,Attack Boost,1,,\n' > "$SCRATCH/own_skills.csv"
"$MHWOPT" import "$equipment" --db "$SCRATCH/own.db" --decorations "$SCRATCH/own_skills.csv" -q
"$MHWOPT" import "$equipment" --db "$SCRATCH/own.db" 2> "$SCRATCH/own.err"
grep -qF "nothing to do" "$SCRATCH/own.err" || fail "the same catalogue without --decorations: $(cat "$SCRATCH/own.err")"
[[ "$("$MHWOPT" query "SELECT count(*) FROM decoration" --db "$SCRATCH/own.db" --csv | tail -1)" == 1 ]] ||
    fail "an import without --decorations dropped the stored decorations (of the equipment's own skills)"

# Other decorations over sets chosen with A: refused, naming the run; the same ones: nothing to do.
depends="holds the sets generation run 1 (--top 5 --config $config --decorations --weapon-slots 4,4,2; finished, 5 combinations stored) chose by their placement of the stored decorations; other decorations would leave them (and its --resume) the best sets of another list. Use --replace to drop them and store the new decorations"
expect import_b 1 "mhwopt: $db: $depends" import "$equipment" --db "$db" --decorations "$SCRATCH/b.csv"
expect import_a 0 "$db: the catalogue is unchanged ($catalogue_hash); nothing to do" import "$equipment" --db "$db" --decorations "$SCRATCH/a.csv"

# A decorated score records A's digest; plain and decorated scores of the stored sets work.
"$MHWOPT" score "$config" --db "$db" --decorations "${slots[@]}" -q -o "$SCRATCH/score_a.csv"
cmp "$SCRATCH/score_a.csv" "$SCRATCH/run_a.csv" || fail "score --decorations with A differs from run with A"
[[ "$(query "SELECT decorations_hash FROM score_run WHERE id = 1")" == "$hash_a" ]] || fail "score run 1 did not record A's digest"
"$MHWOPT" score "$config" --db "$db" -q -o /dev/null
[[ "$(query "SELECT decorations_hash IS NULL FROM score_run WHERE id = 2")" == 1 ]] || fail "a plain score run recorded a decorations digest"

# An unfinished decorated run depends on them too (its --resume searches with them).
sql_write "UPDATE generation_run SET status = 'interrupted'"
expect import_b_interrupted 1 "mhwopt: $db: ${depends/finished/interrupted}" import "$equipment" --db "$db" --decorations "$SCRATCH/b.csv"

# Decorations changed behind mhwopt's back (as an older mhwopt allowed): --resume refuses to mix two
# searches; once finished, --resume and score --decorations refuse to call the stored sets the best.
cp "$db" "$SCRATCH/before_tamper.db"
sql_write "UPDATE decoration SET count = 0 WHERE name = 'Power Jewel 4'"
expect resume_mixed 1 "mhwopt: $db: generation run 1 ranks by the placement of other decorations than those stored now (imported after it started); resuming it would mix two searches. Use --replace to start over with the stored ones" \
    generate --db "$db" --resume
sql_write "UPDATE generation_run SET status = 'finished'"
expect resume_finished 1 "mhwopt: $db: generation run 1 chose the stored sets by their placement of other decorations than those stored now (imported after it): they are not the best 5 with these. Use --replace to generate them again" \
    generate --db "$db" --resume
expect score_stale 1 "mhwopt: $db: the stored combinations are those generation run 1 (--top 5 --config $config --decorations --weapon-slots 4,4,2; finished, 5 combinations stored) chose by their placement of other decorations than those stored now: ranked with these they are not the best sets. Generate them again with the stored decorations (mhwopt generate --replace ... --decorations), or rank without --decorations and --weapon-slots" \
    score "$config" --db "$db" --decorations "${slots[@]}" -o "$SCRATCH/stale.csv"
[[ ! -e "$SCRATCH/stale.csv" ]] || fail "a refused score wrote its output file"
# A run recorded before schema 8 (no digest): said, not refused, once finished.
sql_write "UPDATE generation_run SET decorations_hash = NULL"
run_mhwopt score_legacy score "$config" --db "$db" --decorations "${slots[@]}" --no-save -q
[[ $status == 0 ]] || fail "score --decorations over a schema-7 decorated store: exit $status ($(cat "$SCRATCH/score_legacy.err"))"
grep -qF "warning: the stored combinations are those generation run 1 (" "$SCRATCH/score_legacy.err" &&
    grep -qF "was recorded before mhwopt recorded which decorations a run placed (schema version 8)" "$SCRATCH/score_legacy.err" ||
    fail "score over a schema-7 decorated store: $(cat "$SCRATCH/score_legacy.err")"
run_mhwopt resume_legacy generate --db "$db" --resume
grep -qF "warning: generation run 1 was recorded before mhwopt recorded which decorations a run placed" "$SCRATCH/resume_legacy.err" ||
    fail "--resume of a schema-7 decorated run: $(cat "$SCRATCH/resume_legacy.err")"
sql_write "UPDATE generation_run SET status = 'interrupted'"
run_mhwopt resume_legacy_unfinished generate --db "$db" --resume
[[ $status == 1 ]] && grep -qF "so resuming it could mix two searches if other decorations were imported since. Use --replace to start over" \
    "$SCRATCH/resume_legacy_unfinished.err" || fail "--resume of an unfinished schema-7 decorated run: exit $status, $(cat "$SCRATCH/resume_legacy_unfinished.err")"
cp "$SCRATCH/before_tamper.db" "$db"
sql_write "UPDATE generation_run SET status = 'finished'"
echo "refused or said: other decorations under a decorated generation"

# --replace stores B and drops the sets chosen with A; score run 1 (A) can no longer be drawn.
run_mhwopt import_replace import "$equipment" --db "$db" --decorations "$SCRATCH/b.csv" --replace
[[ $status == 0 ]] || fail "import B --replace: exit $status ($(cat "$SCRATCH/import_replace.err"))"
[[ "$(grep -v '^warning: ' "$SCRATCH/import_replace.err")" == "$db: the catalogue is unchanged ($catalogue_hash); stored 5 decorations; dropped the 5 combinations of generation run 1, chosen with the previous ones" ]] ||
    fail "import B --replace said: $(cat "$SCRATCH/import_replace.err")"
[[ "$(query "SELECT count(*) FROM combination")" == 0 ]] || fail "import B --replace kept the sets chosen with A"
expect report_stale 1 "mhwopt: score run 1 placed other decorations than those stored now (imported after it): its levels and placements cannot be shown beside its scores. Rank again with mhwopt score --decorations, or query its scores (score_result)" \
    report --db "$db" --run 1 -o "$SCRATCH/stale.html"
"$MHWOPT" report --db "$db" --run 2 -q -o "$SCRATCH/plain.html" || fail "report --run of a plain run failed after other decorations"
# Generated again with B: run's best sets with B, and a saved score run that report draws.
"$MHWOPT" generate --db "$db" --replace --top 5 --config "$config" --decorations "${slots[@]}" -q
"$MHWOPT" score "$config" --db "$db" --decorations "${slots[@]}" -q -o "$SCRATCH/score_b.csv"
cmp "$SCRATCH/score_b.csv" "$SCRATCH/run_b.csv" || fail "score --decorations after import B --replace differs from run with B"
"$MHWOPT" report --db "$db" --run 3 -q -o "$SCRATCH/b.html" || fail "report --run 3 (B) failed"
# A saved decorated run from before schema 8: drawn with the stored decorations, and said.
sql_write "UPDATE score_run SET decorations_hash = NULL WHERE id = 3"
"$MHWOPT" report --db "$db" --run 3 -q -o "$SCRATCH/legacy.html" || fail "report --run of a schema-7 decorated run failed"
grep -qF "this run predates schema version 8, which records the decorations a run placed" "$SCRATCH/legacy.html" ||
    fail "report --run of a schema-7 decorated run does not say its decorations are unknown"

# A store with a plain generation: other decorations depend on nothing and are stored at once.
"$MHWOPT" generate --db "$db" --replace -q
run_mhwopt import_plain import "$equipment" --db "$db" --decorations "$SCRATCH/a.csv"
[[ $status == 0 && "$(query "SELECT count(*) FROM combination")" -gt 0 ]] ||
    fail "other decorations over a plain generation: exit $status, $(cat "$SCRATCH/import_plain.err")"
echo ok
