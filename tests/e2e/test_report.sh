#!/usr/bin/env bash
# `mhwopt report` looked at in a real browser (Debian's headless Chromium): what a person would see
# after the page has rendered, not what the HTML text says. A probe page loads the report in two
# frames (desktop and phone width) and measures it; --dump-dom hands the measurements back.
# Chromium missing is a failure, never a skip: CI installs it (scripts/install_deps.sh).
set -uo pipefail
MHWOPT=$(realpath "$1")
SOURCE_DIR=$(realpath "$2")
BUILD_DIR=$(dirname "$MHWOPT")
FIXTURE=$SOURCE_DIR/tests/e2e/fixtures/report
ARTIFACTS=$BUILD_DIR/test-artifacts/report  # screenshots kept for a person to look at
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $CHROMIUM ]]; then
    echo "FAIL: chromium is not installed; this test needs a real browser (apt-get install chromium, or scripts/install_deps.sh)" >&2
    exit 1
fi
mkdir -p "$ARTIFACTS"
browser() {
    # A private profile each run; as root Chromium refuses to start without --no-sandbox.
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$WORK/profile" \
        --allow-file-access-from-files --virtual-time-budget=5000 "$@" 2>>"$WORK/chromium.log"
}

TOP=7
"$MHWOPT" run "$FIXTURE/equipment.csv" "$WORK/best.csv" "$FIXTURE/config.json" -q || { fail "run failed"; exit 1; }
ROWS=$(($(grep -c '' "$WORK/best.csv") - 1))
"$MHWOPT" report "$WORK/best.csv" --config "$FIXTURE/config.json" --top $TOP -q -o "$WORK/report.html" 2>"$WORK/report.err" \
    || { fail "report failed: $(cat "$WORK/report.err")"; exit 1; }
[[ ! -s $WORK/report.err ]] || fail "report -q printed: $(cat "$WORK/report.err")"

# 1. The report's own DOM after rendering: no element the hostile names could have created.
browser --dump-dom "file://$WORK/report.html" >"$WORK/report.dom" || fail "chromium --dump-dom failed: $(tail -3 "$WORK/chromium.log")"
python3 - "$WORK/report.dom" "$TOP" <<'PY' || fail "the rendered report's DOM (above)"
import sys
from html.parser import HTMLParser
dom, top = open(sys.argv[1], encoding="utf-8").read(), int(sys.argv[2])
tags, texts, titles = [], [], []
class P(HTMLParser):
    stack = []
    def handle_starttag(self, tag, attrs):
        tags.append((tag, dict(attrs)))
        self.stack.append(tag)
    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag: self.stack.pop()
    def handle_data(self, data):
        texts.append(data)
        if self.stack and self.stack[-1] == "title": titles.append(data)
P().feed(dom)
bad = []
names = [t for t, _ in tags]
for forbidden in ("script", "img"):
    if forbidden in names: bad.append(f"a <{forbidden}> element exists: a name was parsed as markup")
if any(a.get("id") == "injected" for _, a in tags): bad.append("the charm's name created an element")
if "pwned" in "".join(titles): bad.append("a hostile name's script ran (the title changed)")
text = "".join(texts)
for name in ("<script>document.title='pwned'</script>", "<img src=x onerror=\"document.title='pwned'\">",
             "Tom & \"Jerry\" <b>bold</b>", "</dd></dl><h1 id=injected>x</h1>"):
    if name not in text: bad.append(f"the name {name!r} is not shown as text")
sets = sum(1 for t, a in tags if t == "article" and "set" in a.get("class", "").split())
if sets != top: bad.append(f"{sets} sets rendered, expected {top}")
for b in bad: print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# 2. Layout, measured: bar widths against levels, ranks in order, no sideways scrolling on a phone.
cat >"$WORK/probe.html" <<'HTML'
<!DOCTYPE html><html><body>
<iframe id="desk" src="report.html" style="width:1280px;height:900px;border:0"></iframe>
<iframe id="phone" src="report.html" style="width:390px;height:844px;border:0"></iframe>
<pre id="result"></pre>
<script>
function measure(frame) {
  const doc = frame.contentDocument;
  const out = {sets: [], skills: [], bins: [], overflow: doc.documentElement.scrollWidth - doc.documentElement.clientWidth,
               scripts: doc.querySelectorAll("script").length, title: doc.title};
  for (const set of doc.querySelectorAll("article.set")) {
    out.sets.push({rank: +set.dataset.rank, visible: set.getBoundingClientRect().width > 0,
                   pieces: [...set.querySelectorAll("dd.piece")].map(d => d.textContent),
                   slots: [...set.querySelectorAll(".slot")].map(s => +s.dataset.level)});
    for (const li of set.querySelectorAll("li.skill")) {
      const bar = li.querySelector(".bar").getBoundingClientRect(), fill = li.querySelector(".fill").getBoundingClientRect();
      out.skills.push({rank: +set.dataset.rank, name: li.querySelector(".name").textContent, level: +li.dataset.level,
                       max: li.dataset.max === undefined ? null : +li.dataset.max, over: li.classList.contains("over"),
                       bar: bar.width, fill: fill.width, colour: getComputedStyle(li.querySelector(".fill")).backgroundColor});
    }
  }
  for (const r of doc.querySelectorAll("svg rect.bin")) out.bins.push(+r.dataset.count);
  return out;
}
window.onload = () => {
  document.getElementById("result").textContent =
    JSON.stringify({desk: measure(document.getElementById("desk")), phone: measure(document.getElementById("phone"))});
};
</script></body></html>
HTML
browser --dump-dom "file://$WORK/probe.html" >"$WORK/probe.dom" || fail "chromium on the probe page failed"
python3 - "$WORK/probe.dom" "$WORK/best.csv" "$TOP" "$ROWS" <<'PY' || fail "what the browser rendered (above)"
import csv, html, json, re, sys
dom, csv_path, top, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
m = re.search(r'<pre id="result">(.*?)</pre>', open(dom, encoding="utf-8").read(), re.S)
if not m or not m.group(1).strip():
    print("  the probe page produced no measurements", file=sys.stderr); sys.exit(1)
result = json.loads(html.unescape(m.group(1)))
records = list(csv.reader(open(csv_path, encoding="utf-8")))
header, body = records[0], records[1:]
bad = []
for view, r in result.items():
    if r["scripts"]: bad.append(f"{view}: {r['scripts']} script elements")
    if "pwned" in r["title"]: bad.append(f"{view}: a hostile script ran")
    if r["overflow"] > 0: bad.append(f"{view}: the page scrolls sideways by {r['overflow']} px")
    if [s["rank"] for s in r["sets"]] != list(range(1, top + 1)): bad.append(f"{view}: ranks {[s['rank'] for s in r['sets']]}")
    if not all(s["visible"] for s in r["sets"]): bad.append(f"{view}: a set has no width")
    if sum(r["bins"]) != rows: bad.append(f"{view}: the histogram counts {sum(r['bins'])} sets, the CSV has {rows}")
    for s in r["sets"]:
        row = body[s["rank"] - 1]
        if s["pieces"] != row[:6]: bad.append(f"{view}: set {s['rank']} shows {s['pieces']}, the CSV has {row[:6]}")
        want = []
        for level in (4, 3, 2, 1):
            want += [level] * int(row[header.index(f"Lvl {level} Decoration Slot")])
        if s["slots"] != want: bad.append(f"{view}: set {s['rank']} slot icons {s['slots']}, expected {want}")
        levels = {n: int(row[i]) for i, n in enumerate(header[6:], 6) if not n.startswith("Lvl ") and n != "Defence"}
        shown = {k["name"]: k["level"] for k in r["skills"] if k["rank"] == s["rank"]}
        if shown != {n: v for n, v in levels.items() if v > 0}: bad.append(f"{view}: set {s['rank']} skills {shown}, CSV {levels}")
    highest = {}
    for k in r["skills"]: highest[k["name"]] = max(highest.get(k["name"], 0), k["level"])
    for k in r["skills"]:
        scale = k["max"] if k["max"] else highest[k["name"]]
        expected = min(1.0, k["level"] / scale) * k["bar"]
        if abs(k["fill"] - expected) > 1.0:
            bad.append(f"{view}: set {k['rank']} {k['name']} level {k['level']}/{scale}: bar filled {k['fill']:.1f} of {k['bar']:.1f} px, expected {expected:.1f}")
        if k["over"] != (k["max"] is not None and k["level"] > k["max"]):
            bad.append(f"{view}: set {k['rank']} {k['name']} level {k['level']} max {k['max']}: over-max mark is {k['over']}")
    overs = {k["colour"] for k in r["skills"] if k["over"]}
    normal = {k["colour"] for k in r["skills"] if not k["over"]}
    if not overs: bad.append(f"{view}: the fixture should show a level over its max")
    if overs & normal: bad.append(f"{view}: over-max bars are drawn in the same colour as others")
for b in bad[:20]: print("  " + b, file=sys.stderr)
if not bad:
    print(f"measured {sum(len(r['skills']) for r in result.values())} skill bars in {sum(len(r['sets']) for r in result.values())} sets")
sys.exit(1 if bad else 0)
PY

# 3. From the database: a saved score run, and two compared (the second weighs defence more).
DB=$WORK/sets.db
sed 's/"defence": 0.05/"defence": 0.5/' "$FIXTURE/config.json" >"$WORK/defence.json"
if "$MHWOPT" import "$FIXTURE/equipment.csv" --db "$DB" -q && "$MHWOPT" generate --db "$DB" -q \
        && "$MHWOPT" score "$FIXTURE/config.json" --db "$DB" -q -o "$WORK/run1.csv" && "$MHWOPT" score "$WORK/defence.json" --db "$DB" -q -o /dev/null; then
    "$MHWOPT" report --db "$DB" --run 1 --top $TOP -q -o "$WORK/run1.html" || fail "report --run 1 failed"
    "$MHWOPT" report --db "$DB" --compare 1 2 --top $TOP -q -o "$WORK/compare.html" || fail "report --compare 1 2 failed"
    browser --dump-dom "file://$WORK/run1.html" >"$WORK/run1.dom" && browser --dump-dom "file://$WORK/compare.html" >"$WORK/compare.dom" \
        || fail "chromium on the database reports failed"
    python3 - "$WORK/run1.dom" "$WORK/compare.dom" "$WORK/run1.csv" "$TOP" <<'PY' || fail "the database reports (above)"
import csv, sys
from html.parser import HTMLParser
def parse(path):
    found = {"tags": [], "pieces": [], "moves": 0}
    class P(HTMLParser):
        in_piece = False
        def handle_starttag(self, tag, attrs):
            a = dict(attrs); found["tags"].append(tag)
            self.in_piece = tag == "dd" and a.get("class") == "piece"
            if tag == "tr" and a.get("class") == "move": found["moves"] += 1
        def handle_data(self, data):
            if self.in_piece: found["pieces"].append(data)
        def handle_endtag(self, tag): self.in_piece = False
    P().feed(open(path, encoding="utf-8").read())
    return found
run1, compare = parse(sys.argv[1]), parse(sys.argv[2])
top = int(sys.argv[4])
rows = list(csv.reader(open(sys.argv[3], encoding="utf-8")))[1:top + 1]
bad = []
want = [name for row in rows for name in row[:6]]
if run1["pieces"] != want: bad.append(f"--run 1 shows {run1['pieces'][:6]}..., the run's CSV has {want[:6]}...")
for name, page in (("--run", run1), ("--compare", compare)):
    if "script" in page["tags"] or "img" in page["tags"]: bad.append(f"{name}: a name became an element")
if compare["moves"] < top: bad.append(f"--compare lists {compare['moves']} sets, expected at least the {top} of the second run")
for b in bad: print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
    "$MHWOPT" report --db "$DB" --run 9 -q -o "$WORK/none.html" 2>"$WORK/none.err"; status=$?
    [[ $status == 64 ]] && grep -q "has no score run 9; its runs are numbered up to 2" "$WORK/none.err" \
        || fail "--run 9: exit $status, $(cat "$WORK/none.err")"
    [[ ! -e $WORK/none.html ]] || fail "--run 9 left an output file"
else
    fail "import, generate or score failed"
fi

# 4. Screenshots for a person (desktop, phone), and a PDF to see that it prints.
browser --window-size=1280,2000 --screenshot="$ARTIFACTS/report_desktop.png" "file://$WORK/report.html" >/dev/null || fail "desktop screenshot"
browser --window-size=390,844 --screenshot="$ARTIFACTS/report_phone.png" "file://$WORK/report.html" >/dev/null || fail "phone screenshot"
browser --print-to-pdf="$ARTIFACTS/report.pdf" --no-pdf-header-footer "file://$WORK/report.html" >/dev/null || fail "print to PDF"
for f in report_desktop.png report_phone.png report.pdf; do [[ -s $ARTIFACTS/$f ]] || fail "$f is empty"; done
cp "$WORK/report.html" "$ARTIFACTS/report.html"

if ((failures)); then
    echo "chromium said:" >&2; tail -5 "$WORK/chromium.log" >&2
    echo "$failures failure(s)" >&2; exit 1
fi
echo "report: $TOP sets rendered and measured at 1280 and 390 px; screenshots in $ARTIFACTS"
