# The database side of issue 10: import --decorations stores decorations (and, with --format
# mhworld, set bonuses and maxima); decorated_score and placement give run's Score and Decorations
# columns for the same sets; a bad decorations file is refused at its cell and changes nothing.
source "$(dirname "$0")/db_common.sh"

# A bad decorations file: run's FILE:LINE:COLUMN error, exit 2, the database byte-identical.
db="$SCRATCH/bad.db"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --journal-mode delete -q
before=$(sha256sum "$db")
printf 'Decoration,Size,Skill 1,Level,Skill 2,Level\nAttack Jewel 1,5,Attack Boost,1,,\n' > "$SCRATCH/bad_decorations.csv"
set +e
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --decorations "$SCRATCH/bad_decorations.csv" 2> "$SCRATCH/import.err"
status=$?
"$MHWOPT" run "$FIXTURE/equipment.csv" /dev/null "$FIXTURE/config.json" --decorations "$SCRATCH/bad_decorations.csv" -q 2> "$SCRATCH/run.err"
set -e
[[ $status == 2 ]] || fail "import of a bad decorations file: exit $status, expected 2"
grep -qF "bad_decorations.csv:2:16: Size: found \"5\", expected a whole number from 1 to 4" "$SCRATCH/import.err" ||
    fail "import's error: $(cat "$SCRATCH/import.err")"
[[ "$(cat "$SCRATCH/import.err")" == "$(cat "$SCRATCH/run.err")" ]] || fail "import and run word the error differently: $(cat "$SCRATCH/import.err") / $(cat "$SCRATCH/run.err")"
[[ "$(sha256sum "$db")" == "$before" ]] || fail "a refused import changed the database"
set +e
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --decorations all 2> "$SCRATCH/all.err"
status=$?
set -e
[[ $status == 64 ]] || fail "--decorations all without --format mhworld: exit $status, expected 64"
[[ "$(sha256sum "$db")" == "$before" ]] || fail "a refused import changed the database"

# A decorations CSV on the fixture: the functions equal run's columns for every row run writes.
# The best sets already reach the config's maxima, so skills the config does not name (weight 1)
# make jewels worth more than the empty slots they take; owned counts bind (x2, and one of one).
cat > "$SCRATCH/decorations.csv" <<'CSV'
Decoration,Size,Skill 1,Level,Skill 2,Level,Count
Power Jewel 4,4,Attack Boost,3,Critical Eye,2,1
Expert Jewel 2,2,Critical Eye,2,,,2
Vital Jewel 1,1,Health Boost,3,,,
Guts Jewel 1,1,Guts,5,,,2
Fortify Jewel 4,4,Guts,2,Defence Boost,7,1
CSV
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --decorations "$SCRATCH/decorations.csv" -q

# compare LABEL DB CONFIG EQUIPMENT [RUN OPTIONS...]: run's top 5 with --weapon-slots 4,4,2, then
# decorated_score and placement of the same sets (their ids computed from the piece names with the
# stored strides; the functions need no stored combination), compared as text: query prints a double
# as run's Score column does, the shortest text that reads back as the same double.
compare() {
    local label=$1 db=$2 config=$3
    shift 3
    "$MHWOPT" run "$1" "$SCRATCH/run.csv" "$config" "${@:2}" --weapon-slots 4,4,2 --limit 5 -q
    python3 - "$SCRATCH/run.csv" "$config" > "$SCRATCH/check.sql" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
assert len(rows) == 5, f"run wrote {len(rows)} rows, expected 5"
q = lambda text: "'" + text.replace("'", "''") + "'"
config = q(sys.argv[2])
selects = []
for n, r in enumerate(rows):
    pieces = " OR ".join(f"(piece.part = {p} AND piece.name = {q(r[c])})" for p, c in enumerate(['Head', 'Body', 'Arms', 'Waist', 'Legs', 'Charm']))
    key = f"(SELECT sum(piece.position * part.stride) FROM piece JOIN part ON part.id = piece.part WHERE {pieces})"
    selects.append(f"SELECT {n} AS n, {q(r['Score'])} AS run_score, {q(r['Decorations'])} AS run_decorations, "
                   f"decorated_score({key}, {config}, '4,4,2') AS score, placement({key}, {config}, '4,4,2') AS decorations")
print("SELECT n, run_score, score, run_decorations, decorations FROM (" + " UNION ALL ".join(selects) + ") ORDER BY n")
PY
    "$MHWOPT" query "$(cat "$SCRATCH/check.sql")" --db "$db" --csv > "$SCRATCH/check.csv"
    python3 - "$SCRATCH/check.csv" "$label" <<'PY' || fail "$label: the functions differ from run (above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
assert len(rows) == 5, rows
bad = [r for r in rows if r['run_score'] != r['score'] or r['run_decorations'] != r['decorations']]
for r in bad: print(sys.argv[2], r, file=sys.stderr)
if not any(r['decorations'] for r in rows): print(sys.argv[2], 'no decoration placed in any row: nothing compared', file=sys.stderr)
sys.exit(1 if bad or not any(r['decorations'] for r in rows) else 0)
PY
    echo "$label: decorated_score and placement equal run's Score and Decorations for its top 5"
}

compare fixture "$db" "$FIXTURE/config.json" "$FIXTURE/equipment.csv" --decorations "$SCRATCH/decorations.csv"

# The shared MHWorldData set, rarity 12, every decoration, set bonuses and maxima.
REAL="$SOURCE_DIR/../shared/data/MHWorldData/source_data"
if [[ -d "$REAL" ]]; then
    game_db="$SCRATCH/game.db"
    "$MHWOPT" import "$REAL" --db "$game_db" --format mhworld --rarity 12 --decorations all -q
    n=$("$MHWOPT" query "SELECT (SELECT count(*) FROM decoration) > 0 AND (SELECT count(*) FROM set_bonus) > 0 AND (SELECT count(*) FROM skill_limit WHERE secret IS NOT NULL) > 0" --db "$game_db" --csv | tail -1)
    [[ "$n" == 1 ]] || fail "import --format mhworld --decorations all stored no decorations, bonuses or secret skills"
    compare mhworld "$game_db" "$SOURCE_DIR/bench/configs/player.json" "$REAL" --format mhworld --rarity 12 --decorations all
else
    echo "skipped the MHWorldData comparison: $REAL is not here"
fi
echo ok
