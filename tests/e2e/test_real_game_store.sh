# Every database command over stores of the real game (about 1e15 combinations), built as a user
# must build them: `generate --top N` (plain, and with the game's decorations). Each command must cost
# what is stored, never what the key space could hold: each runs under a guard that turns a hang
# into a failure naming the command (a guard, not a speed test: the whole script takes seconds).
# Each answer is compared with `run` on the same files. Skipped (77) without ../shared/data.
source "$(dirname "$0")/db_common.sh"

DATA="$SOURCE_DIR/../shared/data"
EQUIPMENT="$DATA/mhworld/equipment_all.csv"
MHWORLDDATA="$DATA/MHWorldData/source_data"
CONFIG="$COMPAT/config.json"
OTHER_CONFIG="$SOURCE_DIR/bench/configs/player.json"
if [[ ! -f "$EQUIPMENT" || ! -d "$MHWORLDDATA" || ! -f "$CONFIG" ]]; then
    echo "skipped: the real game's data (../shared/data, ../shared/compat) is not here"
    exit 77
fi
GUARD_SECONDS=${MHWOPT_GUARD_SECONDS:-60}

# guarded NAME ARGS...: mhwopt ARGS under the guard; stdout and stderr in $SCRATCH/NAME.out/.err.
# A non-zero exit or a command still running after the guard fails the test, naming the command.
timings=()
guarded() {
    local name=$1
    shift
    local started
    started=$(date +%s%N)
    set +e
    timeout -k 5 "$GUARD_SECONDS" "$MHWOPT" "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.err"
    status=$?
    set -e
    local shown="mhwopt $*"
    shown=${shown//$SCRATCH\//}
    timings+=("$(printf '%8.3f s  %s' "$(( $(date +%s%N) - started ))e-9" "${shown//$SOURCE_DIR\//}")")
    if [[ $status == 124 || $status == 137 ]]; then
        fail "$name: still running after ${GUARD_SECONDS} s: mhwopt $* (on a store of the real game it must cost the rows stored, not the ~1e15 ids the catalogue could hold)"
    fi
    [[ $status == 0 ]] || fail "$name: exit $status: mhwopt $*: $(cat "$SCRATCH/$name.err")"
}

# query_value NAME SQL DB: the single value a query returns.
query_value() { guarded "$1" query "$2" --db "$3" --csv; tail -n +2 "$SCRATCH/$1.out"; }

# csv_rows FILE [CONDITION [LIMIT]]: the rows of run's CSV whose columns pass the Python CONDITION
# (over `r`, the row by column name, numbers as numbers), the first LIMIT, each as the pieces, then
# every column that is not zero (a CSV has the skill columns its rows have: compared this way, a
# subset of a file's rows equals another file holding the same sets).
csv_rows() {
    python3 - "$@" <<'PY'
import csv, sys
path, condition, limit = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "True"), (int(sys.argv[3]) if len(sys.argv) > 3 else None)
reader = csv.reader(open(path, encoding="utf-8", newline=""))
header = next(reader)
kept = 0
for row in reader:
    r = {name: (int(cell) if cell.isdigit() else cell) for name, cell in zip(header, row)}
    if not eval(condition, {}, {"r": r}) or (limit is not None and kept >= limit):
        continue
    print(" / ".join(row[:6]) + "  " + ", ".join(f"{n}={c}" for n, c in zip(header[6:], row[6:]) if c not in ("0", "")))
    kept += 1
PY
}

# same_rows WHAT EXPECTED ACTUAL: the two files (or process substitutions) hold the same lines, at
# least one, else a failure showing how they differ.
same_rows() {
    cat "$2" > "$SCRATCH/expected.txt"
    cat "$3" > "$SCRATCH/actual.txt"
    diff "$SCRATCH/expected.txt" "$SCRATCH/actual.txt" > "$SCRATCH/diff.txt" || fail "$1 (< expected, > actual):
$(head -20 "$SCRATCH/diff.txt")"
    [[ -s "$SCRATCH/expected.txt" ]] || fail "$1: nothing compared (both empty)"
}

########## The plain store: the best 200 sets of the whole game by a config

plain="$SCRATCH/plain.db"
guarded import import "$EQUIPMENT" --db "$plain" -q
guarded generate generate --db "$plain" --top 200 --config "$CONFIG"
grep -q "exactly the best 200 of the 1,045,437,046,209,040" "$SCRATCH/generate.err" || fail "generate --top 200: $(cat "$SCRATCH/generate.err")"
guarded resume generate --db "$plain" --resume
grep -q "Nothing to resume" "$SCRATCH/resume.err" || fail "generate --resume of a finished run: $(cat "$SCRATCH/resume.err")"
guarded reimport import "$EQUIPMENT" --db "$plain" -q
[[ $(query_value stored "SELECT count(*) FROM combination" "$plain") == 200 ]] || fail "importing the same catalogue again changed the store"

"$MHWOPT" run "$EQUIPMENT" "$SCRATCH/run200.csv" "$CONFIG" --limit 200 -q
"$MHWOPT" run "$EQUIPMENT" "$SCRATCH/run.csv" "$CONFIG" -q

# score: run's CSV, at the config's limit (saved: run 1) and at N, on all cores and on one.
guarded score score "$CONFIG" --db "$plain" -o "$SCRATCH/score.csv"
same_rows "score over the plain store differs from run" "$SCRATCH/run.csv" "$SCRATCH/score.csv"
# What it says it ranked is what is stored, not the ids the catalogue could hold.
! grep -q "1,045,437,046,209,040" "$SCRATCH/score.err" || fail "score's progress counts the catalogue's ids, not the 200 rows stored: $(cat "$SCRATCH/score.err")"
guarded score200 score "$CONFIG" --db "$plain" --limit 200 --threads 1 --no-save -q -o "$SCRATCH/score200.csv"
same_rows "score --limit 200 --threads 1 differs from run --limit 200" "$SCRATCH/run200.csv" "$SCRATCH/score200.csv"
guarded score_json score "$CONFIG" --db "$plain" --limit 3 --no-save -q --json
python3 -c 'import json, sys; assert len(json.load(open(sys.argv[1]))) == 3' "$SCRATCH/score_json.out" || fail "score --json: $(cat "$SCRATCH/score_json.out")"

# score --where: run's best N filtered the same way (the store holds exactly those), and where at
# least 15 of them pass, run with the filters as options: a set that passes and beats the 15th
# filtered one is among the best N overall, so in the store.
# where_checks LABEL DB WHERE CONDITION RUN_N: SCORE_ARGS go to score, RUN_ARGS (if any) to that run.
where_checks() {
    local label=$1 db=$2 where=$3 condition=$4 all=$5
    guarded "where_$label" score "$CONFIG" --db "$db" --where "$where" "${SCORE_ARGS[@]}" --no-save -q -o "$SCRATCH/where_$label.csv"
    csv_rows "$all" "$condition" 15 > "$SCRATCH/filtered_$label.txt"
    [[ $(wc -l < "$SCRATCH/filtered_$label.txt") == 15 ]] || fail "$label: fewer than 15 of run's best pass $condition: nothing to compare"
    same_rows "$label: score --where \"$where\" differs from run's best that pass it" "$SCRATCH/filtered_$label.txt" <(csv_rows "$SCRATCH/where_$label.csv")
    [[ ${#RUN_ARGS[@]} -gt 0 ]] || return 0
    "$MHWOPT" run "${RUN_SOURCE[@]}" "$SCRATCH/filtered_run_$label.csv" "$CONFIG" "${RUN_ARGS[@]}" -q
    same_rows "$label: score --where \"$where\" differs from run ${RUN_ARGS[*]}" "$SCRATCH/filtered_run_$label.csv" "$SCRATCH/where_$label.csv"
}
RUN_SOURCE=("$EQUIPMENT")
SCORE_ARGS=()
RUN_ARGS=(--require "Attack Boost>=7")
where_checks plain_skill "$plain" "skill(id, 'Attack Boost') >= 7" 'r["Attack Boost"] >= 7' "$SCRATCH/run200.csv"
SCORE_ARGS=(--threads 1)
RUN_ARGS=(--require "Dragon Attack>=4" --min-defence 860)
where_checks plain_defence "$plain" "defence >= 860 AND skill(id, 'Dragon Attack') >= 4" 'r["Defence"] >= 860 and r["Dragon Attack"] >= 4' \
    "$SCRATCH/run200.csv"

# Another config over the same store (saved: run 2), for report --compare.
guarded score_other score "$OTHER_CONFIG" --db "$plain" -q -o "$SCRATCH/score_other.csv"
[[ $(wc -l < "$SCRATCH/score_other.csv") == 16 ]] || fail "score with another config: $(wc -l < "$SCRATCH/score_other.csv") lines"

# best_sets and the SQL functions over the stored ids: run's sets, in run's order.
guarded best_sets query "SELECT id, score, head, body, arms, waist, legs, charm, defence FROM best_sets('$CONFIG', 15) ORDER BY rank" --db "$plain" --csv
python3 - "$SCRATCH/run.csv" "$SCRATCH/best_sets.out" <<'PY' || fail "best_sets differs from run (above)"
import csv, sys
run = [(r[:6], r[-1]) for r in list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]]
best = [(r[2:8], r[8]) for r in list(csv.reader(open(sys.argv[2], encoding="utf-8")))[1:]]
if run != best or len(run) != 15:
    print("run:", run[:3], "\nbest_sets:", best[:3], file=sys.stderr)
    sys.exit(1)
PY
tail -n +2 "$SCRATCH/best_sets.out" | cut -d, -f1,2 > "$SCRATCH/best_ids.csv"
guarded functions query "SELECT id, score(id, '$CONFIG') AS s FROM combination ORDER BY s DESC, id LIMIT 15" --db "$plain" --csv
same_rows "score(id, CONFIG) over the stored ids ranks otherwise than best_sets" "$SCRATCH/best_ids.csv" <(tail -n +2 "$SCRATCH/functions.out")
guarded top_n query "SELECT mhwopt_top_n(id, score(id, '$CONFIG'), 15) FROM combination" --db "$plain" --csv
python3 -c 'import csv, json, sys; print("\n".join(f"{i},{s!r}" for i, s in json.loads(list(csv.reader(open(sys.argv[1])))[1][0])))' \
    "$SCRATCH/top_n.out" > "$SCRATCH/top_n.csv"
same_rows "mhwopt_top_n over the stored ids differs from best_sets" "$SCRATCH/best_ids.csv" "$SCRATCH/top_n.csv"
guarded details query "SELECT head, body, arms, waist, legs, charm, skill(id, 'Attack Boost'), defence FROM combination_detail ORDER BY score(id, '$CONFIG') DESC, id LIMIT 15" --db "$plain" --csv
python3 - "$SCRATCH/run.csv" "$SCRATCH/details.out" <<'PY' || fail "combination_detail and skill() differ from run's columns (above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
run = [[r[c] for c in ("Head", "Body", "Arms", "Waist", "Legs", "Charm", "Attack Boost", "Defence")] for r in rows]
detail = list(csv.reader(open(sys.argv[2], encoding="utf-8")))[1:]
if run != detail:
    print("run:", run[:2], "\ndetail:", detail[:2], file=sys.stderr)
    sys.exit(1)
PY
expected=$(csv_rows "$SCRATCH/run200.csv" 'r["Defence"] >= 860' | wc -l)
[[ $(query_value count "SELECT count(*) FROM combination_detail WHERE defence >= 860" "$plain") == "$expected" ]] ||
    fail "count(*) of combination_detail WHERE defence >= 860: $(cat "$SCRATCH/count.out"), run's best 200 hold $expected"
guarded saved query "SELECT count(*) FROM score_run" --db "$plain" --csv

# report --run of each saved run, and --compare of the two.
guarded report_run report --db "$plain" --run 1 -q -o "$SCRATCH/run1.html"
first_head=$(sed -n 2p "$SCRATCH/run.csv" | cut -d, -f1)
grep -qF "$(sed 's/&/\&amp;/g' <<< "$first_head")" "$SCRATCH/run1.html" || fail "report --run 1 does not show the best set's head ($first_head)"
guarded report_run2 report --db "$plain" --run 2 -q -o "$SCRATCH/run2.html"
guarded report_compare report --db "$plain" --compare 1 2 -q -o "$SCRATCH/compare.html"
grep -q "run 1 (config.json, without decorations)" "$SCRATCH/compare.html" || fail "report --compare 1 2 does not name run 1"
echo "plain store: every command equals run"

########## A dense block far from id 0: every combination of four pinned pieces (100,172 sets)

pinned="$SCRATCH/pinned.db"
pins=(--pin "Dragonhead β+" --pin "Escadora Soul β+" --pin "Rimeguard Vambraces  γ+" --pin "Dragonbarbs α+")
guarded import_pinned import "$EQUIPMENT" --db "$pinned" -q
guarded generate_pinned generate --db "$pinned" "${pins[@]}"
grep -q "Checked: 100,172 combinations stored" "$SCRATCH/generate_pinned.err" || fail "generate --pin ×4: $(cat "$SCRATCH/generate_pinned.err")"
# Its progress counts the rows stored, not the ids passed over (it said "done, 1,045,437,046,209,040").
grep -q "^Creating combinations: done, 100,172 in " "$SCRATCH/generate_pinned.err" &&
    ! grep "^Creating combinations" "$SCRATCH/generate_pinned.err" | grep -qE "[0-9]{1,3}(,[0-9]{3}){4}" ||
    fail "generate --pin ×4: its progress does not count the 100,172 rows stored: $(cat "$SCRATCH/generate_pinned.err")"
"$MHWOPT" run "$EQUIPMENT" "$SCRATCH/run_pinned.csv" "$CONFIG" "${pins[@]}" --limit 40 -q
guarded score_pinned score "$CONFIG" --db "$pinned" --limit 40 --no-save -o "$SCRATCH/score_pinned.csv"
same_rows "score over the pinned store differs from run --pin" "$SCRATCH/run_pinned.csv" "$SCRATCH/score_pinned.csv"
! grep -q "1,045,437,046,209,040" "$SCRATCH/score_pinned.err" || fail "score's progress counts the catalogue's ids, not the 100,172 rows stored: $(cat "$SCRATCH/score_pinned.err")"
# Every pinned set is stored: --where and run's filters choose from the same sets.
guarded where_pinned score "$CONFIG" --db "$pinned" --where "skill(id, 'Critical Boost') >= 2 AND defence >= 860" --threads 1 --no-save -q \
    -o "$SCRATCH/where_pinned.csv"
"$MHWOPT" run "$EQUIPMENT" "$SCRATCH/run_pinned_filtered.csv" "$CONFIG" "${pins[@]}" --require "Critical Boost>=2" --min-defence 860 -q
same_rows "score --where over the pinned store differs from run --pin --require --min-defence" "$SCRATCH/run_pinned_filtered.csv" \
    "$SCRATCH/where_pinned.csv"
echo "pinned store: score equals run"

########## The decorated store: the best 100 sets of the whole game by their best placement

deco="$SCRATCH/decorated.db"
slots=4,4,2
guarded import_deco import "$MHWORLDDATA" --format mhworld --decorations all --db "$deco" -q
guarded generate_deco generate --db "$deco" --top 100 --config "$CONFIG" --decorations --weapon-slots "$slots"
grep -q "exactly the best 100 of the 1,045,437,046,209,040, each ranked by its best placement" "$SCRATCH/generate_deco.err" ||
    fail "generate --top 100 --decorations: $(cat "$SCRATCH/generate_deco.err")"
guarded resume_deco generate --db "$deco" --resume
grep -q "Nothing to resume" "$SCRATCH/resume_deco.err" || fail "generate --resume of a finished decorated run: $(cat "$SCRATCH/resume_deco.err")"

RUN_SOURCE=(--format mhworld "$MHWORLDDATA")
"$MHWOPT" run "${RUN_SOURCE[@]}" "$SCRATCH/drun100.csv" "$CONFIG" --decorations all --weapon-slots "$slots" --limit 100 -q
"$MHWOPT" run "${RUN_SOURCE[@]}" "$SCRATCH/drun.csv" "$CONFIG" --decorations all --weapon-slots "$slots" -q
[[ -n $(csv_rows "$SCRATCH/drun.csv" 'r["Decorations"] != ""') ]] || fail "no decoration placed in run's rows: nothing compared"

guarded dscore score "$CONFIG" --db "$deco" --decorations --weapon-slots "$slots" -o "$SCRATCH/dscore.csv"
same_rows "score --decorations over the decorated store differs from run --decorations all" "$SCRATCH/drun.csv" "$SCRATCH/dscore.csv"
guarded dscore100 score "$CONFIG" --db "$deco" --decorations --weapon-slots "$slots" --limit 100 --threads 1 --no-save -q -o "$SCRATCH/dscore100.csv"
same_rows "score --decorations --limit 100 --threads 1 differs from run --limit 100" "$SCRATCH/drun100.csv" "$SCRATCH/dscore100.csv"
SCORE_ARGS=(--decorations --weapon-slots "$slots")
# (run --decorations --require ranks each set by its best placement that meets the requirement,
# unlike a --where on the best placement: no run corresponds.)
RUN_ARGS=()
where_checks decorated "$deco" "placed_skill(id, 'Critical Boost', '$CONFIG', '$slots') >= 2 AND defence >= 840" \
    'r["Critical Boost"] >= 2 and r["Defence"] >= 840' "$SCRATCH/drun100.csv"
# The plain ranking and --weapon-slots alone over the decorated store: they rank what is stored.
guarded dscore_plain score "$CONFIG" --db "$deco" --no-save -q -o "$SCRATCH/dscore_plain.csv"
guarded dscore_slots score "$CONFIG" --db "$deco" --weapon-slots 4 --no-save -q -o "$SCRATCH/dscore_slots.csv"
for ranked in dscore_plain dscore_slots; do
    [[ $(wc -l < "$SCRATCH/$ranked.csv") == 16 ]] || fail "$ranked: $(wc -l < "$SCRATCH/$ranked.csv") lines, expected a header and 15 rows"
done

# The decorated SQL functions over the stored ids: run's scores and placements.
guarded dfunctions query "SELECT piece(id, 'Head'), piece(id, 'Charm'), placement(id, '$CONFIG', '$slots'), decorated_score(id, '$CONFIG', '$slots') AS s
    FROM combination ORDER BY s DESC, id LIMIT 15" --db "$deco" --csv
python3 - "$SCRATCH/drun.csv" "$SCRATCH/dfunctions.out" <<'PY' || fail "decorated_score and placement differ from run's columns (above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
run = [[r[c] for c in ("Head", "Charm", "Decorations", "Score")] for r in rows]
functions = list(csv.reader(open(sys.argv[2], encoding="utf-8")))[1:]
if run != functions:
    print("run:", run[:2], "\nfunctions:", functions[:2], file=sys.stderr)
    sys.exit(1)
PY
# best_sets over the game's catalogue (no decorations): run --format mhworld's sets.
"$MHWOPT" run "${RUN_SOURCE[@]}" "$SCRATCH/mrun.csv" "$CONFIG" -q
guarded dbest_sets query "SELECT head, body, arms, waist, legs, charm FROM best_sets('$CONFIG', 15) ORDER BY rank" --db "$deco" --csv
same_rows "best_sets over the MHWorldData catalogue differs from run --format mhworld" <(tail -n +2 "$SCRATCH/mrun.csv" | cut -d, -f1-6) \
    <(tail -n +2 "$SCRATCH/dbest_sets.out")

guarded dreport_run report --db "$deco" --run 1 -q -o "$SCRATCH/drun1.html"
grep -q "decorations: the stored ones, placed best; weapon slots $slots" "$SCRATCH/drun1.html" || fail "report --run of the decorated run does not say its slots"
guarded dscore_again score "$CONFIG" --db "$deco" --decorations --weapon-slots "$slots" --limit 30 -q -o /dev/null
guarded dreport_compare report --db "$deco" --compare 1 2 -q -o "$SCRATCH/dcompare.html"
echo "decorated store: every command equals run"

echo "times (guard ${GUARD_SECONDS} s each):"
printf '  %s\n' "${timings[@]}"
echo "ok"
