# SIGTERM and SIGINT stop a long exact search within a second or two: `generate --top` (the N-th
# best score's search, then the ordered stream) leaves its run marked interrupted and exits 130,
# and `run` exits 130. The catalogue makes every score tie under a weight (0.1) whose sums may
# round, so no tie can be decided by key and the search must look at every one of its 4.1e9 sets:
# a search that ignores the signal runs for minutes.
source "$(dirname "$0")/faults_common.sh"

equipment="$SCRATCH/equipment.csv"
head -1 "$FIXTURE/equipment.csv" > "$equipment"
for part in Head Body Arms Waist Legs; do
    for i in $(seq 1 40); do
        echo "$part tie $i,Attack Boost,$((i % 3)),Handicraft,$((i / 3 % 3)),0,0,0,0,$part,60"
    done >> "$equipment"
done
for i in $(seq 1 40); do echo "Charm tie $i,Critical Eye,$((i % 5)),,,,,,,Charm," >> "$equipment"; done
config="$SCRATCH/tied.json"
cat > "$config" <<'JSON'
{"decorations": {"deco_1": 0, "deco_2": 0, "deco_3": 0, "deco_4": 0, "num_decos": 0},
 "skills": {"Attack Boost": {"max": 7, "weight": 0, "penalty": 0}, "Handicraft": {"max": 5, "weight": 0, "penalty": 0},
            "Critical Eye": {"max": 7, "weight": 0, "penalty": 0}},
 "defence": 0.1, "limit": 10}
JSON
db="$SCRATCH/tied.db"
"$MHWOPT" import "$equipment" --db "$db" -q

# signal_after NAME SIGNAL SECONDS ARGS...: starts mhwopt, sends SIGNAL after SECONDS, and fails
# unless it has ended 2 s later (then it is killed, not to hang the suite); $status is its exit code.
signal_after() {
    local name=$1 signal=$2 seconds=$3 pid waited=0
    shift 3
    set +e
    "$MHWOPT" "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.err" &
    pid=$!
    set -e
    CLEANUP+=("kill -9 $pid 2>/dev/null")
    sleep "$seconds"
    kill -0 "$pid" 2>/dev/null || fail "$name: ended before the $signal: the search is too short to test: $(cat "$SCRATCH/$name.err")"
    kill "-$signal" "$pid"
    while kill -0 "$pid" 2>/dev/null; do
        if (( waited >= 40 )); then
            kill -9 "$pid" 2>/dev/null || true
            fail "$name: still running 2 s after $signal"
        fi
        sleep 0.05
        waited=$((waited + 1))
    done
    set +e
    wait "$pid"
    status=$?
    set -e
}

run_status() { sql "$db" "SELECT status FROM generation_run ORDER BY id DESC LIMIT 1"; }

signal_after generate_term TERM 1 generate --db "$db" --top 10 --config "$config"
expect_failure generate_term 130 "mhwopt: interrupted"
[[ "$(run_status)" == interrupted ]] || fail "generate after SIGTERM: run status $(run_status), expected interrupted"
[[ "$(sql "$db" "SELECT count(*) FROM combination")" == 0 ]] || fail "generate after SIGTERM: rows were stored"
echo "generate --top, SIGTERM: exit 130, run interrupted"

signal_after generate_int INT 1 generate --db "$db" --replace --top 10 --config "$config" --threads 1
expect_failure generate_int 130 "mhwopt: interrupted"
[[ "$(run_status)" == interrupted ]] || fail "generate after SIGINT: run status $(run_status), expected interrupted"
echo "generate --top --threads 1, SIGINT: exit 130, run interrupted"

signal_after run_term TERM 1 run "$equipment" "$SCRATCH/out.csv" "$config" --limit 10 -q
expect_failure run_term 130 "mhwopt: interrupted"
echo "run, SIGTERM: exit 130"

# A decorated search over the whole game for 100,000 sets (the top 15 takes under a second; this
# takes minutes): the signal must reach the search and the placement solves inside it.
GAME="$SOURCE_DIR/../shared/data/MHWorldData/source_data"
if [[ -d "$GAME" ]]; then
    signal_after decorated_int INT 2 run "$GAME" "$SCRATCH/decorated.csv" "$SOURCE_DIR/bench/configs/player.json" \
        --format mhworld --decorations all --weapon-slots 4,4,2 --limit 100000 -q
    expect_failure decorated_int 130 "mhwopt: interrupted"
    echo "run --decorations all on the whole game, SIGINT: exit 130"
else
    echo "note: $GAME absent: the decorated case did not run"
fi
echo "ok"
