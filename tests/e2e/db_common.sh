# Shared by the test_db_*.sh scripts: arguments, a scratch directory, and the data sets to run on.
set -euo pipefail
MHWOPT=$(realpath "$1")
SOURCE_DIR=$(realpath "$2")
BUILD_DIR=$(dirname "$MHWOPT")
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
FIXTURE="$SOURCE_DIR/tests/e2e/fixtures/db"
COMPAT="$SOURCE_DIR/../shared/compat"

fail() { echo "FAIL: $*" >&2; exit 1; }

# "name equipment config" lines: our fixture, example_data when present, the compat data when present.
data_sets() {
    echo "fixture $FIXTURE/equipment.csv $FIXTURE/config.json"
    if [[ -f "$SOURCE_DIR/example_data/equipment.csv" && -f "$SOURCE_DIR/example_data/config.json" ]]; then
        echo "example_data $SOURCE_DIR/example_data/equipment.csv $SOURCE_DIR/example_data/config.json"
    fi
    # The compat sets small enough for CI; the 10.9M-combination one is bench/bench_db.sh's.
    local set
    for set in vitality_friendly test; do
        if [[ -f "$COMPAT/equipment_$set.csv" && -f "$COMPAT/config_$set.json" ]]; then
            echo "compat_$set $COMPAT/equipment_$set.csv $COMPAT/config_$set.json"
        fi
    done
}

# run_mhwopt NAME ARGS...: the exit code in $status, stdout and stderr in $SCRATCH/NAME.out/.err.
status=0
run_mhwopt() {
    local name=$1
    shift
    set +e
    "$MHWOPT" "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.err"
    status=$?
    set -e
}
