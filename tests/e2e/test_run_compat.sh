#!/usr/bin/env bash
# The original's three example outputs (../shared/compat, when present): the header must be equal,
# the rows must be the same multiset, and their order must be by non-increasing score, the score
# computed exactly by the independent Python reference. Rows of equal score may be ordered
# differently from the original's file, which the issue allows.
set -u
BIN=$1
SRC=$2
COMPAT=$SRC/../shared/compat
REF=$SRC/tests/reference/reference_optimizer.py
[ -d "$COMPAT" ] || { echo "no $COMPAT: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for stem in "" _test _vitality_friendly; do
  equipment=$COMPAT/equipment$stem.csv
  config=$COMPAT/config$stem.json
  original=$COMPAT/combinations$stem.csv
  out=$WORK/combinations$stem.csv
  if ! "$BIN" run "$equipment" "$out" "$config" -q 2>"$WORK/stderr"; then
    fail "equipment$stem.csv exited non-zero: $(cat "$WORK/stderr")"
    continue
  fi
  python3 "$REF" same-rows "$original" "$out" || fail "equipment$stem.csv: header or rows differ from the original's"
  python3 "$REF" check-order "$equipment" "$config" "$out" || fail "equipment$stem.csv: rows not in score order"
done

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "the original's three examples match"
