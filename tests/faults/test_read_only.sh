# A read-only database file, a database in a read-only directory, and one on a read-only file
# system (a read-only bind mount, as root), in each journal mode:
# `query` and `score --no-save` work; the writers (import, generate, score) fail at once (no busy
# wait) with a clear error and exit code 1; the file is byte-for-byte unchanged.
# Root ignores file permissions, so as root the commands run as the unprivileged user nobody
# (setpriv); any other user runs them directly.
source "$(dirname "$0")/faults_common.sh"

if [[ $EUID == 0 ]]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null ||
        skip "running as root, and cannot switch to the user nobody to make permissions bite (setpriv)"
    as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
    owner=nobody:nogroup
    # nobody must reach the scratch directory, the binary and the fixtures: a checkout under a
    # private directory (mktemp -d, a home) gets copies in the scratch directory.
    chmod 755 "$SCRATCH"
    if ! setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$MHWOPT" -a -r "$FIXTURE/config.json"; then
        cp "$MHWOPT" "$SCRATCH/mhwopt" && MHWOPT="$SCRATCH/mhwopt"
        cp -r "$FIXTURE" "$SCRATCH/fixture" && chmod -R a+rX "$SCRATCH/fixture" && FIXTURE="$SCRATCH/fixture"
    fi
    setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$MHWOPT" ||
        skip "the user nobody cannot run $MHWOPT"
else
    as_user() { "$@"; }
    owner=""
fi

# run_as NAME ARGS...: like run_mhwopt, as the unprivileged user.
run_as() {
    local name=$1
    shift
    local started
    started=$(date +%s%N)
    set +e
    as_user "$MHWOPT" "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.err"
    status=$?
    set -e
    elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}

other="$SCRATCH/other.csv"
synthetic_catalogue "$other" 3 2
chmod 644 "$other"

# check_variant LABEL DIR DB: the readers work, the writers are refused at once, nothing changes.
check_variant() {
    local label=$1 dir=$2 db=$3 before name command
    before=$(file_hash "$db")
    run_as "query_$label" query "SELECT count(*), sum(id) FROM combination" --db "$db" --csv
    [[ $status == 0 ]] || fail "$label: query: exit $status: $(cat "$SCRATCH/query_$label.err")"
    [[ "$(tail -1 "$SCRATCH/query_$label.out")" == "216,23220" ]] || fail "$label: query gave $(cat "$SCRATCH/query_$label.out")"
    run_as "score_no_save_$label" score "$FIXTURE/config.json" --no-save --db "$db" -q
    [[ $status == 0 ]] || fail "$label: score --no-save: exit $status: $(cat "$SCRATCH/score_no_save_$label.err")"
    [[ "$(head -1 "$SCRATCH/score_no_save_$label.out")" == Head,Body,Arms,Waist,Legs,Charm,* ]] ||
        fail "$label: score --no-save wrote: $(head -2 "$SCRATCH/score_no_save_$label.out")"
    for command in "import $other --replace" "generate --replace" "score $FIXTURE/config.json"; do
        name="${command%% *}_$label"
        # shellcheck disable=SC2086 # the command's words
        run_as "$name" $command --db "$db" -q
        expect_failure "$name" 1 "$4"
        [[ $elapsed_ms -lt 3000 ]] || fail "$name: took $elapsed_ms ms to fail; a read-only file cannot become writable by waiting"
        [[ "$(grep -c . "$SCRATCH/$name.err")" == 1 ]] || fail "$name: the error should be said once: $(cat "$SCRATCH/$name.err")"
        echo "$label $name: exit 1 after $elapsed_ms ms: $(cat "$SCRATCH/$name.err")"
    done
    [[ "$(file_hash "$db")" == "$before" ]] || fail "$label: the database file changed"
}

# fresh_database DIR NAME MODE: a generated database DIR/NAME, printed, in a new directory.
fresh_database() {
    mkdir "$1"
    "$MHWOPT" import "$FIXTURE/equipment.csv" --db "$1/$2" --journal-mode "$3" -q
    "$MHWOPT" generate --db "$1/$2" -q
    echo "$1/$2"
}

for mode in wal delete; do
    # A read-only file in a writable directory.
    dir="$SCRATCH/file_$mode"
    db=$(fresh_database "$dir" ro.db "$mode")
    [[ -z $owner ]] || chown -R "$owner" "$dir"
    chmod 444 "$db"
    check_variant "file_$mode" "$dir" "$db" "the database file is read-only"

    # A writable file in a read-only directory: no journal, WAL or -shm file can be created.
    dir="$SCRATCH/dir_$mode"
    db=$(fresh_database "$dir" rw.db "$mode")
    [[ -z $owner ]] || chown "$owner" "$db"
    chmod 666 "$db"
    chmod 555 "$dir"
    check_variant "dir_$mode" "$dir" "$db" "is read-only, and every write needs a journal file"
    [[ "$(ls "$dir")" == rw.db ]] || fail "dir_$mode: files appeared beside the database: $(ls "$dir")"

    # A read-only file system (a read-only bind mount), when root may mount one.
    dir="$SCRATCH/rofs_$mode"
    db=$(fresh_database "$dir" fs.db "$mode")
    [[ -z $owner ]] || chown -R "$owner" "$dir"
    if [[ $EUID == 0 ]] && mount --bind "$dir" "$dir" 2>/dev/null; then
        CLEANUP+=("umount '$dir'")
        mount -o remount,bind,ro "$dir" || fail "rofs_$mode: cannot remount the bind mount read-only"
        check_variant "rofs_$mode" "$dir" "$db" "is read-only, and every write needs a journal file"
        [[ "$(ls "$dir")" == fs.db ]] || fail "rofs_$mode: files appeared beside the database: $(ls "$dir")"
    else
        echo "rofs_$mode skipped: cannot bind-mount here"
    fi
done
echo "ok"
