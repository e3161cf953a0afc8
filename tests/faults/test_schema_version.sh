# A database written by a newer mhwopt (PRAGMA user_version above this build's schema version), in
# each journal mode: every command refuses it naming both versions, exits with 1, and leaves the
# file byte-for-byte unchanged.
source "$(dirname "$0")/faults_common.sh"

latest=$(latest_schema_version)
[[ "$latest" =~ ^[0-9]+$ && $latest -gt 0 ]] || fail "cannot tell this mhwopt's schema version: '$latest'"
newer=$((latest + 1))

for mode in wal delete; do
    db="$SCRATCH/newer_$mode.db"
    "$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --journal-mode "$mode" -q
    "$MHWOPT" generate --db "$db" -q
    sql "$db" "PRAGMA user_version = $newer"
    [[ "$(sql "$db" "PRAGMA user_version")" == "$newer" ]] || fail "$mode: could not set user_version"
    before=$(file_hash "$db")
    for command in "import $FIXTURE/equipment.csv" "generate --resume" "score $FIXTURE/config.json -o $SCRATCH/best.csv" \
                   "score $FIXTURE/config.json --no-save" "query SELECT_COUNT"; do
        name="${command%% *}_$mode"
        [[ $command == *--no-save ]] && name="score_no_save_$mode"
        if [[ $command == "query SELECT_COUNT" ]]; then
            run_mhwopt "$name" query "SELECT count(*) FROM combination" --db "$db"
        else
            # shellcheck disable=SC2086 # the command's words
            run_mhwopt "$name" $command --db "$db" -q
        fi
        expect_failure "$name" 1 "the database has schema version $newer, newer than this mhwopt's $latest"
        [[ "$(file_hash "$db")" == "$before" ]] || fail "$name: the file changed"
        echo "$name: $(cat "$SCRATCH/$name.err")"
    done
done
echo "ok"
