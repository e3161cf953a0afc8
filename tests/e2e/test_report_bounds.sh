# What one report page may hold (issue 18, 6k and 6l): a row draws at most 24 slot icons and 48
# skill bars (then "+N"), a page at most 500 sets (--top), so its size follows the file's, not the
# numbers in it; an unsorted file's best score is the highest of all rows and the page says the file
# is unsorted; --compare of a plain and a decorated run says they scored differently.
# Sizes only: test_report.sh looks at pages in a browser.
source "$(dirname "$0")/db_common.sh"

header="Head,Body,Arms,Waist,Legs,Charm,Attack Boost,Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence,Score"
page_bytes() { stat -c %s "$1"; }
# The page of an empty file (the header only) is the fixed part: styles, title, footer.
echo "$header" > "$SCRATCH/empty.csv"
"$MHWOPT" report "$SCRATCH/empty.csv" -q -o "$SCRATCH/empty.html"
base=$(page_bytes "$SCRATCH/empty.html")

# A tiny file whose rows claim 200,000 and 1,000,000 slots a level: icons up to 24, then "+N".
for slots in 200000 1000000; do
    csv="$SCRATCH/slots_$slots.csv"
    { echo "$header"; echo "H,B,A,W,L,C,1,$slots,$slots,$slots,$slots,100,5.5"; } > "$csv"
    "$MHWOPT" report "$csv" -q -o "$SCRATCH/slots.html"
    size=$(page_bytes "$SCRATCH/slots.html")
    ((size < base + 8000)) || fail "a $(page_bytes "$csv")-byte file with $slots slots a level made a $size-byte page (the empty file's: $base)"
    icons=$(grep -o 'class="slot l' "$SCRATCH/slots.html" | wc -l)
    [[ $icons == 24 ]] || fail "$slots slots a level: $icons icons drawn, expected 24"
    grep -qF "<span class=\"more\" data-count=\"$((4 * slots - 24))\" title=\"$((slots - 24)) of level 4, $slots of level 3, $slots of level 2, $slots of level 1 not drawn\">+$((4 * slots - 24))</span>" \
        "$SCRATCH/slots.html" || fail "$slots slots a level: the slots left out are not counted"
done
echo "slots: 24 icons and a count, the page within 8 kB of an empty one's"

# A row with 600 skills: 48 bars, the rest counted.
python3 - "$SCRATCH/skills.csv" <<'PY'
import sys
names = [f"Skill {i}" for i in range(600)]
with open(sys.argv[1], "w") as f:
    f.write(",".join(["Head", "Body", "Arms", "Waist", "Legs", "Charm"] + names +
                     [f"Lvl {l} Decoration Slot" for l in range(1, 5)] + ["Defence", "Score"]) + "\n")
    f.write(",".join(["H", "B", "A", "W", "L", "C"] + ["1"] * 600 + ["0"] * 4 + ["100", "5"]) + "\n")
PY
"$MHWOPT" report "$SCRATCH/skills.csv" -q -o "$SCRATCH/skills.html"
bars=$(grep -o '<li class="skill' "$SCRATCH/skills.html" | wc -l)
[[ $bars == 48 ]] || fail "a row with 600 skills drew $bars bars, expected 48"
grep -qF '<li class="more" data-count="552">+552 more skills</li>' "$SCRATCH/skills.html" || fail "the skills left out are not counted"
echo "skills: 48 bars and a count"

# A page shows at most 500 sets: --top 501 is refused; 10,000 rows and --top 500 make a bounded page
# that says how many of the rows it shows.
python3 - "$SCRATCH/many.csv" "$header" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write(sys.argv[2] + "\n")
    for i in range(10000):
        f.write(f"Head {i},Body,Arms,Waist,Legs,Charm,{i % 7},1,2,1,1,{500 + i % 90},{10000 - i}\n")
PY
run_mhwopt top501 report "$SCRATCH/many.csv" --top 501 -o "$SCRATCH/top501.html"
[[ $status == 64 ]] || fail "--top 501: exit $status, expected 64"
grep -qF -- "--top: Value 501 not in range" "$SCRATCH/top501.err" || fail "--top 501: $(cat "$SCRATCH/top501.err")"
[[ ! -e "$SCRATCH/top501.html" ]] || fail "--top 501 left a page"
"$MHWOPT" report "$SCRATCH/many.csv" --top 500 -q -o "$SCRATCH/many.html"
size=$(page_bytes "$SCRATCH/many.html")
sets=$(grep -o '<article class="set"' "$SCRATCH/many.html" | wc -l)
[[ $sets == 500 ]] || fail "--top 500 of 10,000 rows: $sets sets drawn"
((size < base + 500 * 2000)) || fail "--top 500: a $size-byte page, over 2 kB a set"
grep -qF '<h2 id="h-sets">The best 500 of 10,000 sets</h2>' "$SCRATCH/many.html" || fail "the page does not say it shows 500 of 10,000"
echo "--top 500 of 10,000 rows: a $size-byte page"

# An unsorted file: the best score is the highest row's, and the page says the file is unsorted.
{ echo "$header"; echo "H1,B,A,W,L,C,1,0,0,0,0,100,3"; echo "H2,B,A,W,L,C,1,0,0,0,0,100,9.25"; echo "H3,B,A,W,L,C,1,0,0,0,0,100,4"; } > "$SCRATCH/unsorted.csv"
"$MHWOPT" report "$SCRATCH/unsorted.csv" --top 1 -q -o "$SCRATCH/unsorted.html"
grep -qF '<b>9.25</b><span>best score</span>' "$SCRATCH/unsorted.html" || fail "an unsorted file's best score is not its highest"
grep -qF '<h2 id="h-sets">The first 1 of 3 sets</h2><p class="note unsorted">The file is not sorted by score' "$SCRATCH/unsorted.html" ||
    fail "the page of an unsorted file does not say so"
# The histogram colours the bin of the set shown (score 3, the lowest), not the top one.
python3 - "$SCRATCH/unsorted.html" <<'PY' || fail "the unsorted file's histogram colours the wrong bins (above)"
import re, sys
bins = re.findall(r'<rect class="bin( shown)?" data-count="(\d+)"', open(sys.argv[1]).read())
shown = [i for i, (s, _) in enumerate(bins) if s]
if shown != [0]: print(f"  coloured bins {shown} of {len(bins)}, expected [0]", file=sys.stderr); sys.exit(1)
PY
"$MHWOPT" report "$SCRATCH/many.csv" --top 3 -q -o "$SCRATCH/sorted.html"
grep -q "not sorted" "$SCRATCH/sorted.html" && fail "a sorted file is called unsorted"
echo "unsorted: the highest score, said"

# --compare of a plain and a decorated run: compared, and said in the labels, the page and stderr.
db="$SCRATCH/compare.db"
printf 'Decoration,Size,Skill 1,Level,Skill 2,Level\nAttack Jewel 1,1,Attack Boost,1,,\n' > "$SCRATCH/decorations.csv"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --decorations "$SCRATCH/decorations.csv" -q
"$MHWOPT" generate --db "$db" -q
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" -q -o /dev/null
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --decorations --weapon-slots 4,4,2 -q -o /dev/null
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --limit 7 -q -o /dev/null
config=$(basename "$FIXTURE/config.json")
run_mhwopt mixed report --db "$db" --compare 1 2 -o "$SCRATCH/mixed.html"
said="run 1 scored its sets without decorations and run 2 with the best placement of the stored decorations: their scores are on different scales, and the moves show what decorations change"
[[ $status == 0 && "$(cat "$SCRATCH/mixed.err")" == "warning: $said" ]] || fail "--compare 1 2: exit $status, said '$(cat "$SCRATCH/mixed.err")'"
grep -qF "What moved: run 1 ($config, without decorations) → run 2 ($config, decorations placed, weapon slots 4,4,2)</h2><p class=\"note scoring\"><strong>Scored differently:</strong> $said.</p>" \
    "$SCRATCH/mixed.html" || fail "--compare of a plain and a decorated run does not say so on the page"
run_mhwopt plain report --db "$db" --compare 1 3 -o "$SCRATCH/plain.html"
[[ $status == 0 && ! -s "$SCRATCH/plain.err" ]] || fail "--compare of two plain runs: exit $status, said '$(cat "$SCRATCH/plain.err")'"
grep -q "Scored differently" "$SCRATCH/plain.html" && fail "--compare of two plain runs says they scored differently"
# Two decorated runs that placed different decorations (others imported between them): said too.
printf 'Decoration,Size,Skill 1,Level,Skill 2,Level\nAttack Jewel 1,1,Attack Boost,1,,\nExpert Jewel 1,1,Critical Eye,1,,\n' > "$SCRATCH/other.csv"
"$MHWOPT" import "$FIXTURE/equipment.csv" --db "$db" --decorations "$SCRATCH/other.csv" -q
"$MHWOPT" score "$FIXTURE/config.json" --db "$db" --decorations --weapon-slots 4,4,2 -q -o /dev/null
run_mhwopt other report --db "$db" --compare 2 4 -o "$SCRATCH/other.html"
[[ $status == 0 && "$(cat "$SCRATCH/other.err")" == "warning: runs 2 and 4 placed different decorations (others were imported between them)" ]] ||
    fail "--compare of runs with different decorations: exit $status, said '$(cat "$SCRATCH/other.err")'"
echo "--compare of a plain and a decorated run, of runs with other decorations: said"
echo ok
