# A damaged database, in each journal mode: the header zeroed, a page in the middle overwritten
# with random bytes, the file truncated to half. Every command (import, generate, score,
# score --no-save, query) says the file is damaged, exits with 1 (never a crash: no exit >= 128),
# and leaves the file byte-for-byte as it was (never repaired, never deleted).
source "$(dirname "$0")/faults_common.sh"

# 8^5 x 2 = 65,536 combinations: about 9 pages of 64 KiB for the combination table.
equipment="$SCRATCH/equipment.csv"
synthetic_catalogue "$equipment" 8 2

# random_bytes N: N bytes seeded from $RANDOM (so a failure replays), not /dev/urandom; one process,
# since a page is 64 KiB.
random_bytes() {
    python3 -c 'import random, sys; random.seed(int(sys.argv[2])); sys.stdout.buffer.write(random.randbytes(int(sys.argv[1])))' "$1" "$RANDOM"
}

corrupt() {  # kind db
    local size page_size page
    size=$(stat -c %s "$2")
    case $1 in
        zeroed_header) dd if=/dev/zero of="$2" bs=100 count=1 conv=notrunc status=none ;;
        random_page)
            # A page of the combination table's, in the middle of it: every command reads that
            # table (dbstat numbers pages from 1, dd's seek from 0).
            page_size=$(sql "$2" "PRAGMA page_size")
            page=$(sql "$2" "SELECT pageno FROM dbstat WHERE name = 'combination' ORDER BY pageno
                             LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = 'combination')")
            random_bytes "$page_size" | dd of="$2" bs="$page_size" seek=$((page - 1)) conv=notrunc status=none ;;
        truncated) truncate -s $((size / 2)) "$2" ;;
    esac
}

for mode in wal delete; do
    pristine="$SCRATCH/pristine_$mode.db"
    "$MHWOPT" import "$equipment" --db "$pristine" --journal-mode "$mode" -q
    "$MHWOPT" generate --db "$pristine" -q
    for kind in zeroed_header random_page truncated; do
        db="$SCRATCH/${kind}_$mode.db"
        cp "$pristine" "$db"
        corrupt "$kind" "$db"
        before=$(file_hash "$db")
        for command in "import $equipment" "generate --resume" "score $FIXTURE/config.json -o $SCRATCH/best.csv" \
                       "score $FIXTURE/config.json --no-save" "query SELECT_ALL"; do
            name="${command%% *}_${kind}_$mode"
            [[ $command == *--no-save ]] && name="score_no_save_${kind}_$mode"
            if [[ $command == "query SELECT_ALL" ]]; then
                run_mhwopt "$name" query "SELECT count(*), sum(id) FROM combination" --db "$db"
            else
                # shellcheck disable=SC2086 # the command's words
                run_mhwopt "$name" $command --db "$db" -q
            fi
            expect_failure "$name" 1 "the database file is damaged ("
            grep -qF "; mhwopt leaves it as it is" "$SCRATCH/$name.err" || fail "$name: $(cat "$SCRATCH/$name.err")"
            [[ "$(grep -c . "$SCRATCH/$name.err")" == 1 ]] || fail "$name: the error should be one line, said once: $(cat "$SCRATCH/$name.err")"
            [[ -f "$db" && "$(file_hash "$db")" == "$before" ]] || fail "$name: the damaged file was changed"
            [[ ! -e "$db-journal" ]] || fail "$name: left a rollback journal beside the damaged file"
            echo "$name: $(cat "$SCRATCH/$name.err")"
        done
    done
done
echo "ok"
