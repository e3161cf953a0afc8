# generate --top N --decorations [--weapon-slots]: stores exactly run's best N with the same
# decorations, weapon slots and filters (requirements counted with decorations), resumes after
# Ctrl-C to the same sets, and refuses what it cannot do with its exact words.
source "$(dirname "$0")/db_common.sh"

# A catalogue of our own, 4^5 x 3 = 3,072 sets. Pieces with skills and no slots compete with pieces
# with slots and little else, so decorations change which sets are best. Weakness Exploit is on no
# piece and weighs nothing: only decorations reach it, and only a requirement makes them place it.
# pieces FILE N: N pieces a part, of four kinds by position.
pieces() {
    head -1 "$FIXTURE/equipment.csv" > "$1"
    local part k=0 i
    for part in Head Body Arms Waist Legs; do
        k=$((k + 1))
        for i in $(seq 1 "$2"); do
            case $((i % 4)) in
                1) echo "$part $i,Attack Boost,2,,,0,0,0,0,$part,$((75 + k + i))" ;;
                2) echo "$part $i,Critical Eye,2,,,1,0,0,0,$part,$((70 + 2 * k + i))" ;;
                3) echo "$part $i,,,,,0,2,0,0,$part,$((64 + k % 3 + i))" ;;
                0) echo "$part $i,Health Boost,1,Attack Boost,1,0,0,0,1,$part,$((66 + k + i))" ;;
            esac
        done >> "$1"
    done
    for i in 1 2 3; do echo "Charm $i,Health Boost,$i,,,,,,,Charm," >> "$1"; done
}
equipment="$SCRATCH/equipment.csv"
pieces "$equipment" 4
cat > "$SCRATCH/decorations.csv" <<'CSV'
Decoration,Size,Skill 1,Level,Skill 2,Level,Count
Attack Jewel 1,1,Attack Boost,1,,,
Expert Jewel 2,2,Critical Eye,1,,,3
Tenderizer Jewel 2,2,Weakness Exploit,1,,,
Power Jewel 4,4,Attack Boost,2,Critical Eye,1,1
Vital Jewel 1,1,Health Boost,1,,,2
CSV
config="$SCRATCH/config.json"
cat > "$config" <<'JSON'
{
  "decorations": {"deco_1": 0.1, "deco_2": 0.2, "deco_3": 0.3, "deco_4": 0.4, "num_decos": 0.0},
  "skills": {
    "Attack Boost": {"max": 7, "weight": 3.0, "penalty": -1.0},
    "Critical Eye": {"max": 5, "weight": 2.5, "penalty": 0.0},
    "Health Boost": {"max": 3, "weight": 1.2, "penalty": 0.0},
    "Weakness Exploit": {"max": 3, "weight": 0.0, "penalty": 0.0}
  },
  "defence": 0.01,
  "limit": 5
}
JSON
decorations="$SCRATCH/decorations.csv"
db="$SCRATCH/deco.db"
# DELETE journal mode: the file alone is the database, so refusals can be checked byte for byte.
"$MHWOPT" import "$equipment" --db "$db" --decorations "$decorations" --journal-mode delete -q

query() { "$MHWOPT" query "$1" --db "${2:-$db}" --csv | tail -n +2; }
# One text value, unquoted.
value() { query "$@" | python3 -c 'import csv, sys; print(next(csv.reader(sys.stdin))[0])'; }
# The ids of run's CSV rows, in its order, from the stored piece positions and part strides.
run_ids() {  # CSV DB
    "$MHWOPT" query "SELECT piece.part, piece.name, piece.position * part.stride FROM piece JOIN part ON part.id = piece.part" \
        --db "$2" --csv > "$SCRATCH/positions.csv"
    python3 - "$1" "$SCRATCH/positions.csv" <<'PY'
import csv, sys
offset = {(int(r[0]), r[1]): int(r[2]) for r in list(csv.reader(open(sys.argv[2], newline='', encoding='utf-8')))[1:]}
for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')):
    print(sum(offset[(p, r[c])] for p, c in enumerate(['Head', 'Body', 'Arms', 'Waist', 'Legs', 'Charm'])))
PY
}

# check LABEL N WEAPON_SLOTS [FILTERS...]: generate's stored ids equal run's best N, the same sets; and
# without requirements in the same order when ranked in SQL by decorated_score.
check() {
    local label=$1 n=$2 slots=$3
    shift 3
    "$MHWOPT" generate --db "$db" --replace --top "$n" --config "$config" --decorations --weapon-slots "$slots" "$@" 2> "$SCRATCH/gen.err"
    grep -qF "exactly the best $n of " "$SCRATCH/gen.err" || fail "$label: $(cat "$SCRATCH/gen.err")"
    grep -qF "ranked by its best placement of the stored decorations with weapon slots $slots." "$SCRATCH/gen.err" || fail "$label: $(cat "$SCRATCH/gen.err")"
    "$MHWOPT" run "$equipment" "$SCRATCH/run.csv" "$config" --decorations "$decorations" --weapon-slots "$slots" --limit "$n" -q "$@"
    run_ids "$SCRATCH/run.csv" "$db" > "$SCRATCH/run.ids"
    [[ $(wc -l < "$SCRATCH/run.ids") == "$n" ]] || fail "$label: run wrote $(wc -l < "$SCRATCH/run.ids") rows"
    query "SELECT id FROM combination ORDER BY id" > "$SCRATCH/stored.ids"
    sort -n "$SCRATCH/run.ids" | diff - "$SCRATCH/stored.ids" || fail "$label: the stored sets are not run's best $n"
    if [[ "$*" != *--require* ]]; then
        query "SELECT id FROM combination ORDER BY decorated_score(id, '$config', '$slots') DESC, id" | diff "$SCRATCH/run.ids" - ||
            fail "$label: ranked by decorated_score, the stored sets are not in run's order"
    fi
    local row
    row=$(value "SELECT top_n || '|' || weapon_slots || '|' || filters || '|' || status FROM generation_run ORDER BY id DESC LIMIT 1")
    [[ "$row" == "$n|$slots|"*"--top $n --config $config --decorations --weapon-slots $slots|finished" ]] || fail "$label: run row $row"
    echo "$label: the best $n stored are run's"
}
check top10 10 4,4,2
check top40-one-slot 40 3
check top7-filtered 7 4,2 --min-defence 330 --exclude "Head 4"
check top12-require 12 4,4,2 --require "Weakness Exploit>=3"
# Decorations and the requirement changed the result (decorations alone meet it), so the checks
# above tested them.
required=$(query "SELECT group_concat(id) FROM combination")
"$MHWOPT" generate --db "$db" --replace --top 12 --config "$config" --decorations --weapon-slots 4,4,2 -q
decorated=$(query "SELECT group_concat(id) FROM combination")
"$MHWOPT" import "$equipment" --db "$SCRATCH/plain.db" --journal-mode delete -q
"$MHWOPT" generate --db "$SCRATCH/plain.db" --top 12 --config "$config" -q
plain=$(query "SELECT group_concat(id) FROM combination" "$SCRATCH/plain.db")
[[ "$plain" != "$decorated" && "$decorated" != "$required" ]] || fail "decorations or the requirement changed nothing: nothing was tested"

# Weapon slots alone on a database without decorations: the slots count as empty, as run's do.
"$MHWOPT" generate --db "$SCRATCH/plain.db" --replace --top 9 --config "$config" --weapon-slots 4,1 -q
"$MHWOPT" run "$equipment" "$SCRATCH/run.csv" "$config" --weapon-slots 4,1 --limit 9 -q
run_ids "$SCRATCH/run.csv" "$SCRATCH/plain.db" | sort -n | diff - <(query "SELECT id FROM combination ORDER BY id" "$SCRATCH/plain.db") ||
    fail "--weapon-slots alone: not run's best 9"
row=$(value "SELECT weapon_slots || '|' || filters FROM generation_run ORDER BY id DESC LIMIT 1" "$SCRATCH/plain.db")
[[ "$row" == "4,1|--top 9 --config $config --weapon-slots 4,1" ]] || fail "--weapon-slots alone: run row $row"

# Refusals, each with its exact words and exit code, the database byte-identical.
expect_mhwopt() {  # DB EXPECTED_STATUS EXPECTED_STDERR ARGS...
    local file=$1 expected=$2 message=$3 status
    shift 3
    local before
    before=$(sha256sum "$file" | cut -d' ' -f1)
    set +e
    "$MHWOPT" "$@" 2> "$SCRATCH/refused.err"
    status=$?
    set -e
    [[ $status == "$expected" ]] || fail "$*: exit $status, expected $expected ($(cat "$SCRATCH/refused.err"))"
    [[ "$(cat "$SCRATCH/refused.err")" == "$message" ]] || fail "$*: said '$(cat "$SCRATCH/refused.err")', expected '$message'"
    [[ "$(sha256sum "$file" | cut -d' ' -f1)" == "$before" ]] || fail "$*: the database changed"
}
expect_mhwopt "$db" 64 "mhwopt: generate --decorations needs --top N and --config: without --top every combination is stored, whatever its decorations, and filters that count decorations need --top" \
    generate --db "$db" --replace --decorations
expect_mhwopt "$db" 64 "mhwopt: generate --weapon-slots needs --top N and --config: without --top every combination is stored, whatever its decorations, and filters that count decorations need --top" \
    generate --db "$db" --replace --weapon-slots 4,4,2 --require "Weakness Exploit>=1"
expect_mhwopt "$db" 64 "mhwopt: --weapon-slots \"4,5\": expected $("$MHWOPT" run "$equipment" /dev/null "$config" --weapon-slots 4,5 -q 2>&1 | sed 's/.*expected //')" \
    generate --db "$db" --replace --top 5 --config "$config" --weapon-slots 4,5
# An unsatisfiable requirement: run's explanation (decorations counted), before anything is deleted.
set +e
"$MHWOPT" run "$equipment" /dev/null "$config" --decorations "$decorations" --weapon-slots 4,4,2 --require "Weakness Exploit>=99" -q 2> "$SCRATCH/run.err"
set -e
# Warnings about the decorations file are import's to give, not generate's.
sed -i '/^warning: /d' "$SCRATCH/run.err"
expect_mhwopt "$db" 1 "$(cat "$SCRATCH/run.err")" generate --db "$db" --replace --top 5 --config "$config" --decorations --weapon-slots 4,4,2 --require "Weakness Exploit>=99"
grep -qF "no set satisfies the filters:" "$SCRATCH/run.err" || fail "run's explanation: $(cat "$SCRATCH/run.err")"
# No decorations stored: say so and how to store them (exit 2, bad data).
nodeco="$SCRATCH/plain.db"
expect_mhwopt "$nodeco" 2 "mhwopt: $nodeco: no decorations are stored; import them first (mhwopt import EQUIPMENT --decorations FILE|all), or leave --decorations out" \
    generate --db "$nodeco" --replace --top 5 --config "$config" --decorations --weapon-slots 4,4,2
echo "refusals: exact words, nothing changed"

# Ctrl-C while the best sets are being stored, then --resume: the same sets as a clean run. A bigger
# catalogue (8^5 x 3 = 98,304 sets) and a batch of 5 rows, so the signal lands mid-run.
big="$SCRATCH/big.csv"
pieces "$big" 8
bigdb="$SCRATCH/big.db"
"$MHWOPT" import "$big" --db "$bigdb" --decorations "$decorations" -q
selection=(--top 3000 --config "$config" --decorations --weapon-slots 4,2 --require "Weakness Exploit>=1")
"$MHWOPT" generate --db "$bigdb" "${selection[@]}" -q
clean=$(query "SELECT count(*), sum(id), min(id), max(id) FROM combination" "$bigdb")
"$MHWOPT" run "$big" "$SCRATCH/run.csv" "$config" --decorations "$decorations" --weapon-slots 4,2 --require "Weakness Exploit>=1" --limit 3000 -q
run_ids "$SCRATCH/run.csv" "$bigdb" | sort -n | diff -q - <(query "SELECT id FROM combination ORDER BY id" "$bigdb") > /dev/null ||
    fail "big catalogue: the stored 3,000 are not run's"
"$MHWOPT" generate --db "$bigdb" --replace "${selection[@]}" --batch-size 5 -q &
pid=$!
for _ in $(seq 1 1000); do  # until some batches are committed
    rows=$(query "SELECT rows_written FROM generation_run WHERE status = 'running'" "$bigdb" 2>/dev/null || true)
    [[ "$rows" =~ ^[0-9]+$ && "$rows" -gt 0 ]] && break
    sleep 0.01
done
kill -INT "$pid" 2>/dev/null || true
set +e
wait "$pid"
status=$?
set -e
[[ $status == 130 ]] || fail "SIGINT during a decorated generate: exit $status, expected 130"
stopped=$(value "SELECT status || '|' || rows_written || '|' || weapon_slots FROM generation_run ORDER BY id DESC LIMIT 1" "$bigdb")
[[ "$stopped" == "interrupted|"*"|4,2" ]] || fail "after SIGINT the run row reads $stopped"
[[ "$(query "SELECT count(*) FROM combination" "$bigdb")" == "$(echo "$stopped" | cut -d'|' -f2)" ]] || fail "the table does not hold the run's rows_written"
echo "SIGINT during generate --top --decorations: stopped at $stopped"
# A different decorated search is not this run's continuation.
set +e
"$MHWOPT" generate --db "$bigdb" --resume --top 3000 --config "$config" --decorations --weapon-slots 4,1 --require "Weakness Exploit>=1" 2> "$SCRATCH/other.err"
status=$?
set -e
[[ $status == 64 ]] || fail "--resume with other weapon slots: exit $status"
grep -qF "with its own selection (--require \"Weakness Exploit>=1\" --top 3000 --config $config --decorations --weapon-slots 4,2)" "$SCRATCH/other.err" ||
    fail "--resume with other weapon slots: $(cat "$SCRATCH/other.err")"
"$MHWOPT" generate --db "$bigdb" --resume 2> "$SCRATCH/resume.err"
grep -qF "exactly the best 3,000 of those that pass the filters" "$SCRATCH/resume.err" || fail "resume: $(cat "$SCRATCH/resume.err")"
[[ "$(query "SELECT count(*), sum(id), min(id), max(id) FROM combination" "$bigdb")" == "$clean" ]] || fail "the resumed run differs from a clean one"
"$MHWOPT" generate --db "$bigdb" --resume "${selection[@]}" 2> "$SCRATCH/again.err"
grep -q "Nothing to resume" "$SCRATCH/again.err" || fail "second resume: $(cat "$SCRATCH/again.err")"
# A run row without weapon slots (as every run before schema 7) is no decorated run: resuming it with
# decorations is refused.
if command -v sqlite3 > /dev/null; then
    sqlite3 "$bigdb" "UPDATE generation_run SET status = 'interrupted', weapon_slots = NULL WHERE id = (SELECT max(id) FROM generation_run)"
    set +e
    "$MHWOPT" generate --db "$bigdb" --resume "${selection[@]}" 2> "$SCRATCH/plain_run.err"
    status=$?
    set -e
    [[ $status == 64 ]] || fail "--resume --decorations of a run without weapon slots: exit $status ($(cat "$SCRATCH/plain_run.err"))"
fi
echo "--resume repeated the same decorated search"

# The shared MHWorldData set, rarity 12, every decoration: the stored top 5 are run's.
REAL="$SOURCE_DIR/../shared/data/MHWorldData/source_data"
if [[ -d "$REAL" ]]; then
    player="$SOURCE_DIR/bench/configs/player.json"
    game="$SCRATCH/game.db"
    "$MHWOPT" import "$REAL" --db "$game" --format mhworld --rarity 12 --decorations all -q
    "$MHWOPT" generate --db "$game" --top 5 --config "$player" --decorations --weapon-slots 4,4,2 -q
    "$MHWOPT" run "$REAL" "$SCRATCH/run.csv" "$player" --format mhworld --rarity 12 --decorations all --weapon-slots 4,4,2 --limit 5 -q
    run_ids "$SCRATCH/run.csv" "$game" > "$SCRATCH/run.ids"
    query "SELECT id FROM combination ORDER BY decorated_score(id, '$player', '4,4,2') DESC, id" "$game" | diff "$SCRATCH/run.ids" - ||
        fail "MHWorldData rarity 12: the stored top 5 are not run's"
    echo "MHWorldData rarity 12: the stored top 5 are run's"
else
    echo "skipped the MHWorldData check: $REAL is not here"
fi
echo ok
