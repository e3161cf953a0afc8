# Shared by the tests/faults/test_*.sh scripts (sourced; not a test itself): arguments, a scratch
# directory, a synthetic catalogue, and checks that look at the database with Debian's sqlite3
# shell, independently of mhwopt.
set -euo pipefail
MHWOPT=$(realpath "$1")
SOURCE_DIR=$(realpath "$2")
SCRATCH=$(mktemp -d)
FIXTURE="$SOURCE_DIR/tests/e2e/fixtures/db"
# Scripts add their own clean-up (unmounts, background processes) to this list; it runs first.
CLEANUP=()
cleanup() {
    local step
    for step in "${CLEANUP[@]}"; do eval "$step" || true; done
    chmod -R u+w "$SCRATCH" 2>/dev/null || true  # read-only directories of the tests
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
command -v sqlite3 > /dev/null || skip "the sqlite3 shell is not installed (apt-get install sqlite3)"

# Random moments must be replayable: FAULTS_SEED=N reruns a failure exactly.
SEED=${FAULTS_SEED:-$(( $(date +%s%N) % 32768 ))}
RANDOM=$SEED
echo "seed $SEED (rerun with FAULTS_SEED=$SEED)"

# synthetic_catalogue FILE PIECES_A_PART CHARMS: PIECES^5 x CHARMS combinations, every piece distinct.
synthetic_catalogue() {
    local file=$1 pieces=$2 charms=$3 part i
    head -1 "$FIXTURE/equipment.csv" > "$file"
    for part in Head Body Arms Waist Legs; do
        for i in $(seq 1 "$pieces"); do
            echo "$part piece $i,Attack Boost,$((i % 3)),Handicraft,1,1,0,0,$((i % 2)),$part,$((60 + i))"
        done >> "$file"
    done
    for i in $(seq 1 "$charms"); do echo "Charm $i,Critical Eye,$i,,,,,,,Charm," >> "$file"; done
}

# run_mhwopt NAME ARGS...: runs the binary, keeping its exit code in $status and stderr in $SCRATCH/NAME.err.
status=0
run_mhwopt() {
    local name=$1
    shift
    set +e
    "$MHWOPT" "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.err"
    status=$?
    set -e
}

# interrupt_mhwopt NAME SECONDS ARGS...: like run_mhwopt, with a Ctrl-C (SIGINT) after SECONDS.
interrupt_mhwopt() {
    local name=$1 seconds=$2 pid
    shift 2
    set +e
    "$MHWOPT" "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.err" &
    pid=$!
    sleep "$seconds"
    kill -INT "$pid"
    wait "$pid"
    status=$?
    set -e
}

# expect_failure NAME EXIT_CODE FRAGMENT: the last run_mhwopt NAME exited with EXIT_CODE and said FRAGMENT.
expect_failure() {
    local name=$1 code=$2 fragment=$3
    [[ $status -lt 128 || $code -ge 128 ]] || fail "$name: killed by signal $((status - 128)) (exit $status): $(cat "$SCRATCH/$name.err")"
    [[ $status == "$code" ]] || fail "$name: exit code $status, expected $code: $(cat "$SCRATCH/$name.err")"
    grep -qF -- "$fragment" "$SCRATCH/$name.err" || fail "$name: expected '$fragment' in: $(cat "$SCRATCH/$name.err")"
}

sql() { sqlite3 -batch "$@"; }  # sql DB STATEMENT: the plain sqlite3 shell, no mhwopt code involved

integrity() { sql "$1" "PRAGMA integrity_check"; }

# Rows in the combination table must be exactly what the latest run row says it committed.
check_consistent() {  # db label
    local verdict committed recorded
    verdict=$(integrity "$1")
    [[ "$verdict" == ok ]] || fail "$2: integrity_check says: $verdict"
    committed=$(sql "$1" "SELECT count(*) FROM combination")
    recorded=$(sql "$1" "SELECT coalesce((SELECT rows_written FROM generation_run ORDER BY id DESC LIMIT 1), 0)")
    [[ "$committed" == "$recorded" ]] || fail "$2: the table holds $committed rows, generation_run.rows_written says $recorded"
    echo "$committed"
}

# count|min|max|sum|hash over every stored id: equal for two tables holding the same ids.
id_stats() {
    sql "$1" "SELECT count(*), min(id), max(id), sum(id), sum((id * 2654435761) % 1000000007) FROM combination"
}

# A checksum of the database's content (schema and every row), as dbhash would give; Debian's
# sqlite3 package has no dbhash binary.
content_hash() { sql "$1" .dump | sha256sum | cut -d' ' -f1; }

file_hash() { sha256sum < "$1" | cut -d' ' -f1; }

latest_schema_version() {  # of this mhwopt: a fresh database's user_version
    local db="$SCRATCH/version_probe.db"
    "$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" -q
    sql "$db" "PRAGMA user_version"
    rm -f "$db"
}
