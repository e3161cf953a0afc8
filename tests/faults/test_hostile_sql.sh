# Hostile SQL through `mhwopt query` and `mhwopt score --where`: DELETE, UPDATE, DROP, ATTACH,
# VACUUM INTO, PRAGMA writable_schema, load_extension, an endless recursive CTE, randomblob(2e9).
# Each is refused (or stopped: by --timeout for query, by Ctrl-C for score) with its exact message
# and exit code; afterwards the database's content hash (a checksum of .dump: schema and every row)
# and, after a checkpoint, the file's bytes are unchanged, and no file was created by ATTACH or
# VACUUM INTO. In each journal mode.
source "$(dirname "$0")/faults_common.sh"

config="$FIXTURE/config.json"
attached="$SCRATCH/attached.db"
copy="$SCRATCH/vacuum_copy.db"
extension="$SCRATCH/evil.so"
endless="WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
only_reads="; only read-only statements (SELECT, WITH, VALUES, reporting PRAGMAs) are allowed"

# "SQL<TAB>expected message fragment" for `query`.
query_cases() {
    printf '%s\t%s\n' \
        "DELETE FROM combination" "query refused: DELETE on combination$only_reads" \
        "UPDATE piece SET defence = 0" "query refused: UPDATE on piece$only_reads" \
        "INSERT INTO combination VALUES (1000000)" "query refused: INSERT on combination$only_reads" \
        "DROP TABLE combination" "query refused: DROP (it writes sqlite_master)$only_reads" \
        "DROP VIEW combination_detail" "query refused: DROP (it writes sqlite_master)$only_reads" \
        "CREATE TABLE evil(x)" "query refused: CREATE (it writes sqlite_master)$only_reads" \
        "ATTACH DATABASE '$attached' AS evil" "query refused: ATTACH$only_reads" \
        "VACUUM INTO '$copy'" "query refused: VACUUM (the statement writes)$only_reads" \
        "VACUUM" "query refused: VACUUM (the statement writes)$only_reads" \
        "PRAGMA writable_schema = 1" "query refused: PRAGMA writable_schema with a value$only_reads" \
        "PRAGMA writable_schema = ON" "query refused: PRAGMA writable_schema with a value$only_reads" \
        "SELECT load_extension('$extension')" "query refused: the function load_extension()$only_reads" \
        "SELECT 1; DELETE FROM combination" "query refused: more than one statement$only_reads" \
        "SELECT length(randomblob(2000000000))" "stopped: a string or blob too big (a value may hold at most 16 MB)"
}

# "CONDITION<TAB>expected message fragment" for `score --where`: it is pasted into a SELECT, so
# the escapes close the parenthesis and start a second statement.
where_cases() {
    printf '%s\t%s\n' \
        "1); DELETE FROM combination; --" "--where refused: more than one statement$only_reads" \
        "1); UPDATE piece SET defence = 0; --" "--where refused: more than one statement$only_reads" \
        "1); DROP TABLE combination; --" "--where refused: more than one statement$only_reads" \
        "1); ATTACH DATABASE '$attached' AS evil; --" "--where refused: more than one statement$only_reads" \
        "1); VACUUM INTO '$copy'; --" "--where refused: more than one statement$only_reads" \
        "1); PRAGMA writable_schema = 1; --" "--where refused: more than one statement$only_reads" \
        "load_extension('$extension') IS NULL" "--where refused: the function load_extension()$only_reads" \
        "length(randomblob(2000000000)) > 0" "stopped: a string or blob too big (a value may hold at most 16 MB)" \
        "DELETE FROM combination" '--where: near "DELETE": syntax error'
}

for mode in wal delete; do
    db="$SCRATCH/hostile_$mode.db"
    "$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --journal-mode "$mode" -q
    "$MHWOPT" generate --db "$db" -q
    "$MHWOPT" score "$config" --db "$db" -q > /dev/null  # a score run too, so every table has rows
    sql "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
    before_content=$(content_hash "$db")
    before_file=$(file_hash "$db")
    i=0
    while IFS=$'\t' read -r statement expected; do
        i=$((i + 1))
        run_mhwopt "query_${mode}_$i" query "$statement" --db "$db" --csv
        expect_failure "query_${mode}_$i" 1 "$expected"
        [[ "$(grep -c . "$SCRATCH/query_${mode}_$i.err")" == 1 ]] || fail "query '$statement': said more than once: $(cat "$SCRATCH/query_${mode}_$i.err")"
        [[ "$(content_hash "$db")" == "$before_content" ]] || fail "$mode: query '$statement' changed the database's content"
    done < <(query_cases)
    while IFS=$'\t' read -r condition expected; do
        i=$((i + 1))
        run_mhwopt "where_${mode}_$i" score "$config" --where "$condition" --db "$db" -q
        expect_failure "where_${mode}_$i" 1 "$expected"
        [[ "$(content_hash "$db")" == "$before_content" ]] || fail "$mode: score --where '$condition' changed the database's content"
    done < <(where_cases)
    echo "$mode: $i hostile statements refused with their messages"

    # An endless recursive CTE: query stops at its --timeout, score --where on Ctrl-C.
    started=$(date +%s%N)
    run_mhwopt "endless_query_$mode" query "$endless" --db "$db" --timeout 0.5
    elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
    expect_failure "endless_query_$mode" 1 "query stopped at the time limit of 0.5 seconds (--timeout)"
    [[ $elapsed_ms -lt 5000 ]] || fail "$mode: the endless query took $elapsed_ms ms to stop at a 0.5 s limit"
    interrupt_mhwopt "endless_score_$mode" 0.5 score "$config" --where "($endless) > 0" --db "$db" -q
    expect_failure "endless_score_$mode" 130 "mhwopt: interrupted"
    grep -qxF "mhwopt: interrupted" "$SCRATCH/endless_score_$mode.err" || fail "$mode: endless score --where: $(cat "$SCRATCH/endless_score_$mode.err")"
    echo "$mode: endless CTE stopped by --timeout after $elapsed_ms ms (query) and by Ctrl-C (score)"

    [[ "$(content_hash "$db")" == "$before_content" ]] || fail "$mode: the database's content changed"
    [[ "$(sql "$db" "SELECT count(*) FROM score_run")" == 1 ]] || fail "$mode: a refused or stopped score saved a run"
    sql "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
    [[ "$(file_hash "$db")" == "$before_file" ]] || fail "$mode: the database file's bytes changed"
    [[ ! -e "$attached" && ! -e "$copy" ]] || fail "$mode: ATTACH or VACUUM INTO created a file"
    [[ "$(sql "$db" "PRAGMA journal_mode")" == "$mode" ]] || fail "$mode: the journal mode changed"
done
echo "ok"
