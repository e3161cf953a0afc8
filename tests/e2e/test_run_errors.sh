#!/usr/bin/env bash
# Bad inputs through the real binary: the exact stderr text, exit code 2 for bad data and 64 for a
# bad command line, and an existing OUTPUT file left byte for byte as it was (nor a temporary
# file left beside it).
source "$(dirname "$0")/run_common.sh"

OUT=$WORK/existing.csv
printf 'previous results, must survive\n' >"$OUT"
cp "$OUT" "$WORK/existing.orig"

output_untouched() {
  cmp -s "$OUT" "$WORK/existing.orig" || fail "$1: the existing output file was changed"
  ! ls "$OUT".*tmp >/dev/null 2>&1 || fail "$1: a temporary output file was left behind"
}

# expect_error NAME CODE EXPECTED_STDERR ARGS...: stderr must be exactly EXPECTED_STDERR.
expect_error() {
  local name=$1 code=$2 expected=$3
  shift 3
  "$BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  local got=$?
  [ "$got" -eq "$code" ] || fail "$name: exit code $got, expected $code"
  [ "$(cat "$WORK/stderr")" = "$expected" ] || fail "$name: stderr was
$(cat "$WORK/stderr")
expected
$expected"
  output_untouched "$name"
}

# expect_usage NAME ARGS...: exit 64, something on stderr that mentions the problem.
expect_usage() {
  local name=$1 pattern=$2
  shift 2
  "$BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  local got=$?
  [ "$got" -eq 64 ] || fail "$name: exit code $got, expected 64"
  grep -q -- "$pattern" "$WORK/stderr" "$WORK/stdout" || fail "$name: no '$pattern' in the message: $(cat "$WORK/stderr")"
  output_untouched "$name"
}

write() { printf '%s' "$2" >"$WORK/$1"; }
HEADER='Name,Skill 1 Name,Skill 1 Level,Skill 2 Name,Skill 2 Level,Slots Lvl 1,Slots Lvl 2,Slots Lvl 3,Slots Lvl 4,Body Part,Base Defence'
ROWS='Helm,Attack Boost,1,,,1,0,0,0,Head,40
Mail,,,,,0,1,0,0,Body,42
Braces,,,,,0,0,1,0,Arms,44
Coil,,,,,0,0,0,1,Waist,46
Greaves,,,,,2,0,0,0,Legs,48
Charm,Attack Boost,2,,,,,,,Charm,'
GOOD_CONFIG=$DATA/config.json

# Equipment defects (exit 2).
write body_part.csv "$HEADER
$ROWS
Cap,,,,,0,0,0,0,Hat,1
"
expect_error "unknown body part" 2 "$WORK/body_part.csv:8:17: Body Part: found \"Hat\", expected Head, Body, Arms, Waist, Legs or Charm" \
  run "$WORK/body_part.csv" "$OUT" "$GOOD_CONFIG" -q

write cells.csv "$HEADER
$ROWS
\"Cap, with comma\",Attack Boost,1
"
expect_error "too few cells" 2 "$WORK/cells.csv:8:33: found 3 cells, expected 11: name, skill 1 name, skill 1 level, skill 2 name, skill 2 level, slots of level 1, 2, 3 and 4, body part, base defence" \
  run "$WORK/cells.csv" "$OUT" "$GOOD_CONFIG" -q

write negative.csv "$HEADER
$ROWS
Cap,,,,,0,0,0,0,Head,-3
"
expect_error "negative defence" 2 "$WORK/negative.csv:8:22: Base Defence: found \"-3\", expected a whole number from 0 to 1000000" \
  run "$WORK/negative.csv" "$OUT" "$GOOD_CONFIG" -q

write duplicate.csv "$HEADER
$ROWS
Helm,,,,,0,0,0,0,head,1
"
expect_error "duplicate piece" 2 "$WORK/duplicate.csv:8:1: Name: found \"Helm\" a second time among the Head pieces (first on line 2), expected each name once a part" \
  run "$WORK/duplicate.csv" "$OUT" "$GOOD_CONFIG" -q

write empty.csv ""
expect_error "empty equipment file" 2 "$WORK/empty.csv:1:1: found an empty file, expected a header row and then one piece a row" \
  run "$WORK/empty.csv" "$OUT" "$GOOD_CONFIG" -q

write no_charm.csv "$HEADER
${ROWS%%Charm,*}"
expect_error "no charms" 2 "$WORK/no_charm.csv:7:1: found no Charm pieces, expected at least one piece of every part (Head, Body, Arms, Waist, Legs, Charm)" \
  run "$WORK/no_charm.csv" "$OUT" "$GOOD_CONFIG" -q

printf '%s\n%s\nCap\0,,,,,0,0,0,0,Head,1\n' "$HEADER" "$ROWS" >"$WORK/nul.csv"
expect_error "NUL byte" 2 "$WORK/nul.csv:8:4: found a NUL byte, expected text" \
  run "$WORK/nul.csv" "$OUT" "$GOOD_CONFIG" -q

write unclosed.csv "$HEADER
$ROWS
\"Cap,,,,,0,0,0,0,Head,1
Boots,,,,,0,0,0,0,Legs,1
"
expect_error "unterminated quote" 2 "$WORK/unclosed.csv:8:1: found a quoted field that is never closed, expected a closing quote" \
  run "$WORK/unclosed.csv" "$OUT" "$GOOD_CONFIG" -q

# Config defects (exit 2); the equipment is fine.
write good.csv "$HEADER
$ROWS
"
write limit0.json '{"limit": 0}'
# Warnings about what the config leaves out come first, then the error.
expect_error "limit 0" 2 "warning: $WORK/limit0.json: Missing parameter 'decorations' in config. Assuming a value of 1.0 for each of its numbers.
warning: $WORK/limit0.json: Missing parameter 'skills' in config. Assuming no skill rules: every skill level counts 1.0.
warning: $WORK/limit0.json: Missing parameter 'defence' in config. Assuming a value of 1.0.
$WORK/limit0.json:1:11: limit: found 0, expected a whole number from 1 to 100000000" \
  run "$WORK/good.csv" "$OUT" "$WORK/limit0.json" -q

write syntax.json '{
  "defence": 1,
  "limit": 5,
}'
expect_error "trailing comma" 2 "$WORK/syntax.json:4:1: found '}' after ',', expected another key in double quotes (no trailing commas in JSON)" \
  run "$WORK/good.csv" "$OUT" "$WORK/syntax.json" -q

write dup.json '{"limit": 5, "limit": 6}'
expect_error "duplicate key" 2 "$WORK/dup.json:1:14: found key \"limit\" a second time (first on line 1), expected each key once" \
  run "$WORK/good.csv" "$OUT" "$WORK/dup.json" -q

write type.json '{"decorations": {"deco_1": 1, "deco_2": 1, "deco_3": 1, "deco_4": 1, "num_decos": 1},
 "skills": {"Attack Boost": {"max": "seven"}}, "defence": 1, "limit": 2}'
expect_error "wrong type" 2 "$WORK/type.json:2:37: skills.Attack Boost.max: found a string, expected a number" \
  run "$WORK/good.csv" "$OUT" "$WORK/type.json" -q

# The equipment is read first: its error stops the run before the config is looked at.
expect_error "equipment error before config error" 2 "$WORK/body_part.csv:8:17: Body Part: found \"Hat\", expected Head, Body, Arms, Waist, Legs or Charm" \
  run "$WORK/body_part.csv" "$OUT" "$WORK/limit0.json" -q

# A missing input file is an environment failure (exit 1), not bad data.
expect_error "missing equipment file" 1 "mhwopt: $WORK/nope.csv: cannot open: No such file or directory" \
  run "$WORK/nope.csv" "$OUT" "$GOOD_CONFIG" -q

# Usage errors (exit 64).
expect_usage "no arguments" "subcommand"
expect_usage "no output or config" "required" run "$WORK/good.csv"
expect_usage "too many arguments" "extra" run "$WORK/good.csv" "$OUT" "$GOOD_CONFIG" extra
expect_usage "limit 0" "limit" run "$WORK/good.csv" "$OUT" "$GOOD_CONFIG" --limit 0
expect_usage "limit -1" "limit" run "$WORK/good.csv" "$OUT" "$GOOD_CONFIG" --limit -1
expect_usage "limit not a number" "limit" run "$WORK/good.csv" "$OUT" "$GOOD_CONFIG" --limit ten
expect_usage "threads 0" "threads" run "$WORK/good.csv" "$OUT" "$GOOD_CONFIG" --threads 0
expect_usage "unknown option" "--frobnicate" run "$WORK/good.csv" "$OUT" "$GOOD_CONFIG" --frobnicate
expect_error "unknown command" 64 "mhwopt: 'walk' is not a subcommand, expected one of run, import, generate, score, query, report (see mhwopt --help)" walk

# Control: the same output path is replaced when the inputs are good.
"$BIN" run "$WORK/good.csv" "$OUT" "$GOOD_CONFIG" -q 2>/dev/null || fail "control run failed"
cmp -s "$OUT" "$WORK/existing.orig" && fail "control run did not write the output"
! ls "$OUT".*tmp >/dev/null 2>&1 || fail "control run left a temporary file"

# The output path: a symbolic link is written through (the link stays), a file keeps its mode, and
# a path that cannot be written is said before any search runs (no progress line on stderr), with why.
printf 'old\n' >"$WORK/real.csv"
chmod 600 "$WORK/real.csv"
ln -s real.csv "$WORK/link.csv"
"$BIN" run "$WORK/good.csv" "$WORK/link.csv" "$GOOD_CONFIG" -q || fail "writing through a symbolic link failed"
[ -L "$WORK/link.csv" ] || fail "the symbolic link was replaced by a file"
cmp -s "$WORK/real.csv" "$OUT" || fail "the file behind the symbolic link did not get the results"
[ "$(stat -c %a "$WORK/real.csv")" = 600 ] || fail "the output's mode 600 became $(stat -c %a "$WORK/real.csv")"
! ls "$WORK"/real.csv.*tmp >/dev/null 2>&1 || fail "writing through a link left a temporary file"
cp "$WORK/existing.orig" "$OUT"
expect_error "output directory missing" 1 "mhwopt: $WORK/nowhere/best.csv: cannot write the output file in $WORK/nowhere: No such file or directory" \
  run "$WORK/good.csv" "$WORK/nowhere/best.csv" "$GOOD_CONFIG"
expect_error "output is a directory" 1 "mhwopt: $WORK: cannot write the output file: Is a directory" \
  run "$WORK/good.csv" "$WORK" "$GOOD_CONFIG"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "all bad inputs rejected as expected"
