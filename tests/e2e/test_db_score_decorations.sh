# score --decorations [--weapon-slots ...]: the stored combinations ranked by their best placement of
# the stored decorations give exactly `run --decorations FILE --weapon-slots ...`'s CSV, on every
# data set available; --weapon-slots alone matches run's; the refusals' exact words and exit codes;
# a saved decorated ranking records its weapon slots.
source "$(dirname "$0")/db_common.sh"

# decorations_for EQUIPMENT: a decorations CSV for the data set's first skills (sizes 1-4, some
# owned counts, one with two skills), so that jewels compete for slots and counts bind.
decorations_for() {
    python3 - "$1" <<'PY'
import csv, sys
skills = []
data = open(sys.argv[1], 'rb').read()
try: text = data.decode('utf-8-sig')
except UnicodeDecodeError: text = data.decode('cp1252')  # as mhwopt reads it
for row in list(csv.reader(text.splitlines()))[1:]:
    for cell in (row[1], row[3]):  # the skills, by position as the equipment reader takes them
        if cell and cell not in skills: skills.append(cell)
print('Decoration,Size,Skill 1,Level,Skill 2,Level,Count')
for i, skill in enumerate(skills[:6]):
    print(f'"{skill} Jewel {1 + i % 4}",{1 + i % 4},"{skill}",{1 + i % 2},,,{"" if i % 3 else 1 + i % 2}')
if len(skills) >= 2:
    print(f'"Twin Jewel 4",4,"{skills[0]}",2,"{skills[1]}",1,1')
PY
}

while read -r name equipment config; do
    db="$SCRATCH/$name.db"
    decorations="$SCRATCH/$name.decorations.csv"
    decorations_for "$equipment" > "$decorations"
    "$MHWOPT" import "$equipment" --db "$db" --decorations "$decorations" -q
    "$MHWOPT" generate --db "$db" -q
    for slots in 4,4,2 1 ""; do
        for limit in 5 40; do
            weapon=()
            [[ -n "$slots" ]] && weapon=(--weapon-slots "$slots")
            "$MHWOPT" run "$equipment" "$SCRATCH/run.csv" "$config" --decorations "$decorations" "${weapon[@]}" --limit "$limit" -q
            "$MHWOPT" score "$config" --db "$db" --decorations "${weapon[@]}" --limit "$limit" --no-save -q > "$SCRATCH/score.csv"
            cmp "$SCRATCH/run.csv" "$SCRATCH/score.csv" || fail "$name: score --decorations --weapon-slots '$slots' --limit $limit differs from run"
            # One connection, and --where (mhwopt_may_rank's solve, reused by the aggregate) on every row.
            "$MHWOPT" score "$config" --db "$db" --decorations "${weapon[@]}" --limit "$limit" --no-save -q --threads 1 \
                --where "id >= 0" > "$SCRATCH/score1.csv"
            cmp "$SCRATCH/run.csv" "$SCRATCH/score1.csv" || fail "$name: score --threads 1 --where 'id >= 0' --weapon-slots '$slots' differs from run"
        done
    done
    python3 -c 'import csv, sys; sys.exit(0 if any(r["Decorations"] for r in csv.DictReader(open(sys.argv[1]))) else 1)' "$SCRATCH/run.csv" ||
        fail "$name: no decoration placed in run's rows: nothing compared"
    echo "$name: score --decorations equals run --decorations"
    # report --run of a saved decorated run shows what its scores came from: each set as the saved
    # CSV has it (levels with the placement, the slots left empty, the decorations).
    # (On a copy: the saved-runs section below counts fixture.db's runs.)
    cp "$db" "$SCRATCH/saved.db"
    "$MHWOPT" score "$config" --db "$SCRATCH/saved.db" --decorations --weapon-slots 4,4,2 --limit 40 -q -o "$SCRATCH/saved.csv"
    "$MHWOPT" report --db "$SCRATCH/saved.db" --run 1 -q -o "$SCRATCH/saved_run.html"
    "$MHWOPT" report "$SCRATCH/saved.csv" --config "$config" -q -o "$SCRATCH/saved_csv.html"
    grep -q 'decorations: the stored ones, placed best; weapon slots 4,4,2' "$SCRATCH/saved_run.html" || fail "$name: report --run does not say its decorations"
    placed=$(python3 -c 'import csv, sys; print(sum(1 for r in list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))[:20] if r["Decorations"]))' "$SCRATCH/saved.csv")
    [[ $(grep -c 'class="decos"' "$SCRATCH/saved_run.html" || true) == "$placed" ]] || fail "$name: report --run shows decorations for other than the $placed sets with some"
    diff <(grep -o '<article class="set".*</article>' "$SCRATCH/saved_run.html") <(grep -o '<article class="set".*</article>' "$SCRATCH/saved_csv.html") ||
        fail "$name: report --run shows its sets otherwise than the saved CSV's report (above)"
done < <(data_sets)

## --weapon-slots alone, on a database without decorations: run's --weapon-slots without --decorations
db="$SCRATCH/plain.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" -q
"$MHWOPT" generate --db "$db" -q
"$MHWOPT" run "$FIXTURE/equipment.csv" "$SCRATCH/run.csv" "$FIXTURE/config.json" --weapon-slots 4,2 -q
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --weapon-slots 4,2 --no-save -q > "$SCRATCH/score.csv"
cmp "$SCRATCH/run.csv" "$SCRATCH/score.csv" || fail "score --weapon-slots 4,2 without decorations differs from run's"

## the refusals: --decorations with none stored (exit 2 as generate's, the database named), a bad --weapon-slots (64)
before=$(sha256sum < "$db")
run_mhwopt none score "$FIXTURE/config.json" --db "$db" --decorations -q
[[ $status == 2 ]] || fail "--decorations with none stored: exit $status, expected 2"
[[ "$(cat "$SCRATCH/none.err")" == "mhwopt: $db: no decorations are stored; import them first (mhwopt import EQUIPMENT --decorations FILE|all), or leave --decorations out" ]] ||
    fail "--decorations with none stored: $(cat "$SCRATCH/none.err")"
[[ ! -s "$SCRATCH/none.out" ]] || fail "--decorations with none stored wrote rows"
for bad in 5 4,4,4,4 "4, 2" x 0; do
    run_mhwopt bad score "$FIXTURE/config.json" --db "$db" --weapon-slots "$bad" -q
    [[ $status == 64 ]] || fail "--weapon-slots '$bad': exit $status, expected 64"
    [[ "$(cat "$SCRATCH/bad.err")" == "mhwopt: --weapon-slots \"$bad\": expected L[,L[,L]], up to three slot levels from 1 to 4, for example 4,4,2" ]] ||
        fail "--weapon-slots '$bad': $(cat "$SCRATCH/bad.err")"
done
[[ "$(sha256sum < "$db")" == "$before" ]] || fail "a refused score changed the database"

## saved runs record their weapon slots: NULL (plain), '' (--decorations alone), '4,4,2'
db="$SCRATCH/fixture.db"
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" -q > /dev/null
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --decorations -q > /dev/null
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --decorations --weapon-slots 4,4,2 -q -o "$SCRATCH/saved.csv"
saved=$("$MHWOPT" query "SELECT group_concat(coalesce(quote(weapon_slots), 'NULL'), ' ') FROM (SELECT weapon_slots FROM score_run ORDER BY id)" --db "$db" --csv | tail -1)
[[ "$saved" == "\"NULL '' '4,4,2'\"" ]] || fail "score_run.weapon_slots: $saved, expected NULL '' '4,4,2' (quoted by the CSV)"
# The saved scores are the Score column, and decorated_score gives them again.
python3 - "$SCRATCH/saved.csv" > "$SCRATCH/saved_scores" <<'PY'
import csv, sys
print('\n'.join(r['Score'] for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))))
PY
"$MHWOPT" query "SELECT score FROM score_result WHERE run = 3 ORDER BY rank" --db "$db" --csv | tail -n +2 > "$SCRATCH/stored_scores"
cmp "$SCRATCH/saved_scores" "$SCRATCH/stored_scores" || fail "score_result.score differs from the Score column"
again=$("$MHWOPT" query "SELECT count(*) FROM score_result WHERE run = 3 AND score = decorated_score(combination, '$FIXTURE/config.json', '4,4,2')" --db "$db" --csv | tail -1)
[[ "$again" == 5 ]] || fail "decorated_score gives back $again of the 5 saved scores"

"$MHWOPT" report --db "$db" --run 1 -q -o "$SCRATCH/run1.html"
! grep -q 'class="decos"' "$SCRATCH/run1.html" || fail "report --run 1 (not decorated) shows decorations"
## a store generated with --require: score --decorations places each set to meet the requirement,
## as run --require does (it placed best and left the required skill short), and report --run agrees
GAME="$SOURCE_DIR/../shared/data/MHWorldData/source_data"
if [[ -d "$GAME" ]]; then
    db="$SCRATCH/required.db"
    player="$SOURCE_DIR/bench/configs/player.json"
    "$MHWOPT" import "$GAME" --format mhworld --decorations all --db "$db" -q
    "$MHWOPT" generate --db "$db" --top 5 --decorations --weapon-slots 4,4,2 --config "$player" --require "Earplugs>=3" -q
    "$MHWOPT" run "$GAME" "$SCRATCH/run.csv" "$player" --format mhworld --decorations all --weapon-slots 4,4,2 --limit 5 \
        --require "Earplugs>=3" -q
    "$MHWOPT" score "$player" --db "$db" --decorations --weapon-slots 4,4,2 -q -o "$SCRATCH/score.csv"
    cmp "$SCRATCH/run.csv" "$SCRATCH/score.csv" || fail "score --decorations of a store built with --require differs from run --require"
    "$MHWOPT" report --db "$db" --run 1 -q -o "$SCRATCH/required_run.html"
    "$MHWOPT" report "$SCRATCH/score.csv" --config "$player" -q -o "$SCRATCH/required_csv.html"
    diff <(grep -o '<article class="set".*</article>' "$SCRATCH/required_run.html") <(grep -o '<article class="set".*</article>' "$SCRATCH/required_csv.html") ||
        fail "report --run of a store built with --require shows its sets otherwise than the saved CSV's report"
else
    echo "skipped the --require store: $GAME is absent"
fi
echo ok
