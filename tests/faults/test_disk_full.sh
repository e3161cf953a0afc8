# Disk full during `generate`, in each journal mode, two ways: a 6 MB tmpfs (when this machine lets
# us mount one) and a file-size limit (ulimit -f; mhwopt ignores SIGXFSZ, so the write fails instead
# of killing the process). Each time: a clear "disk full" error and exit code 1, the database intact
# (integrity_check "ok", rows == generation_run.rows_written, while the disk is still full), and
# once there is room again `generate --resume` ends with exactly one row per combination.
source "$(dirname "$0")/faults_common.sh"

# 14^5 x 2 = 1,075,648 combinations, about 10 MB: more than the tmpfs and the limit allow, while
# the catalogue alone (a 64 KiB page a table, in the file and its journal) fits. The tmpfs was 4 MB
# until schema 6 added five tables: a new WAL file then held 2.75 MB after import, and the first
# batch no longer fitted.
equipment="$SCRATCH/equipment.csv"
synthetic_catalogue "$equipment" 14 2
total=$((14 ** 5 * 2))
expected_stats="$total|0|$((total - 1))|$((total * (total - 1) / 2))"

check_resumed() {  # db label
    "$MHWOPT" generate --db "$1" --resume 2> "$SCRATCH/resume.err" || fail "$2: resume: $(cat "$SCRATCH/resume.err")"
    grep -qF "exactly the product" "$SCRATCH/resume.err" || fail "$2: resume did not check the count: $(cat "$SCRATCH/resume.err")"
    check_consistent "$1" "$2 after resume" > /dev/null
    [[ "$(id_stats "$1")" == "$expected_stats|"* ]] || fail "$2: after resume: $(id_stats "$1"), expected $expected_stats"
}

variants=0
# A tmpfs of 6 MB: the disk itself is full.
mnt="$SCRATCH/mnt"
mkdir "$mnt"
if mount -t tmpfs -o size=6m tmpfs "$mnt" 2> "$SCRATCH/mount.err"; then
    CLEANUP+=("umount '$mnt'")
    for mode in wal delete; do
        db="$mnt/full_$mode.db"
        "$MHWOPT" import "$equipment" --db "$db" --journal-mode "$mode" -q
        run_mhwopt gen_tmpfs_$mode generate --db "$db" --batch-size 20000 -q
        expect_failure gen_tmpfs_$mode 1 "disk full"
        committed=$(check_consistent "$db" "tmpfs $mode, disk still full")
        [[ $committed -gt 0 && $committed -lt $total ]] || fail "tmpfs $mode: $committed rows committed; the disk should have filled mid-run"
        echo "tmpfs $mode: '$(cat "$SCRATCH/gen_tmpfs_$mode.err")' after $committed rows"
        # Still full: a second try fails the same way and loses nothing.
        run_mhwopt gen_tmpfs_again_$mode generate --db "$db" --batch-size 20000 --resume -q
        expect_failure gen_tmpfs_again_$mode 1 "disk full"
        again=$(check_consistent "$db" "tmpfs $mode, second try")
        [[ $again -ge $committed ]] || fail "tmpfs $mode: the second try lost rows ($committed, then $again)"
        mount -o remount,size=64m "$mnt"
        check_resumed "$db" "tmpfs $mode"
        rm -f "$db"*
        mount -o remount,size=6m "$mnt"
    done
    variants=$((variants + 1))
else
    echo "tmpfs variant skipped: cannot mount a tmpfs here ($(cat "$SCRATCH/mount.err"))"
fi

# A file-size limit of 4 MB (ulimit -f counts 1024-byte blocks).
for mode in wal delete; do
    db="$SCRATCH/limit_$mode.db"
    "$MHWOPT" import "$equipment" --db "$db" --journal-mode "$mode" -q
    set +e
    (ulimit -f 4096; exec "$MHWOPT" generate --db "$db" --batch-size 20000 -q) 2> "$SCRATCH/gen_limit_$mode.err"
    status=$?
    set -e
    expect_failure gen_limit_$mode 1 "disk full"
    committed=$(check_consistent "$db" "ulimit -f $mode")
    [[ $committed -gt 0 && $committed -lt $total ]] || fail "ulimit -f $mode: $committed rows committed; the limit should have been reached mid-run"
    echo "ulimit -f $mode: '$(cat "$SCRATCH/gen_limit_$mode.err")' after $committed rows"
    check_resumed "$db" "ulimit -f $mode"
done
variants=$((variants + 1))
echo "ok ($variants variants)"
