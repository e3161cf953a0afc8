#!/usr/bin/env bash
# `mhwopt run` on every example_data pair must write the golden file byte for byte. The goldens were
# made by tests/reference/reference_optimizer.py, a brute-force reimplementation that shares nothing
# with the C++ code, so agreement checks the engine, the readers and the writer together.
source "$(dirname "$0")/run_common.sh"

# equipment, config, golden
PAIRS=(
  "equipment.csv config.json expected_config.csv"
  "equipment.csv config_penalties.json expected_config_penalties.csv"
  "equipment_windows1252.csv config_windows1252.json expected_windows1252.csv"
)

for pair in "${PAIRS[@]}"; do
  read -r equipment config golden <<<"$pair"
  # One thread and several must agree: the tie order may not depend on how work is split.
  for threads in 1 2 3; do
    out=$WORK/$golden.$threads
    if ! "$BIN" run "$DATA/$equipment" "$out" "$DATA/$config" --threads "$threads" -q 2>"$WORK/stderr"; then
      fail "$equipment + $config (--threads $threads) exited non-zero: $(cat "$WORK/stderr")"
      continue
    fi
    cmp -s "$out" "$DATA/$golden" || { fail "$equipment + $config (--threads $threads) differs from $golden:"; diff "$DATA/$golden" "$out" | head -20 >&2; }
  done
done

# --limit overrides the config's limit; the order is total, so the rows are the golden's first
# five (the header may differ: it lists only the skills of the rows written).
if "$BIN" run "$DATA/equipment.csv" "$WORK/limit5.csv" "$DATA/config.json" --limit 5 -q 2>/dev/null; then
  [ "$(wc -l <"$WORK/limit5.csv")" -eq 6 ] || fail "--limit 5 did not write 5 rows"
  for row in 2 3 4 5 6; do
    # Compare names only: the skill columns depend on the header.
    [ "$(sed -n "${row}p" "$WORK/limit5.csv" | cut -d, -f1-6)" = "$(sed -n "${row}p" "$DATA/expected_config.csv" | cut -d, -f1-6)" ] \
      || fail "--limit 5: row $row is not the golden's"
  done
else
  fail "--limit 5 exited non-zero"
fi

# The Windows-1252 file is read with a one-line warning that names it; UTF-8 files get none.
"$BIN" run "$DATA/equipment_windows1252.csv" /dev/null "$DATA/config_windows1252.json" -q 2>"$WORK/w1252.err" || fail "/dev/null output failed"
grep -q "^warning: $DATA/equipment_windows1252.csv: not valid UTF-8 (first at line 2, column 7); reading it as Windows-1252\$" "$WORK/w1252.err" \
  || { fail "no Windows-1252 warning"; cat "$WORK/w1252.err" >&2; }
"$BIN" run "$DATA/equipment.csv" /dev/null "$DATA/config.json" -q 2>"$WORK/utf8.err" || fail "/dev/null output failed"
[ ! -s "$WORK/utf8.err" ] || { fail "-q on clean inputs printed something:"; cat "$WORK/utf8.err" >&2; }

# The penalties config omits keys and names a skill no piece has: warnings, not errors.
"$BIN" run "$DATA/equipment.csv" /dev/null "$DATA/config_penalties.json" -q 2>"$WORK/pen.err" || fail "config_penalties.json failed"
grep -qx "warning: $DATA/config_penalties.json: Missing parameter 'decorations.num_decos' in config. Assuming a value of 1.0." "$WORK/pen.err" \
  || { fail "no warning for decorations.num_decos"; cat "$WORK/pen.err" >&2; }
grep -qx "warning: $DATA/config_penalties.json: Missing parameter 'skills.Divine Blessing.max' in config. Assuming a value of 1.0." "$WORK/pen.err" \
  || { fail "no warning for skills.Divine Blessing.max"; cat "$WORK/pen.err" >&2; }

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "all example_data goldens match"
