# Shared helpers for the bench scripts: repeated runs on a noisy machine, best and median wall time,
# peak RSS. Source it; do not run it.

# measure LABEL RUNS COMMAND...: prints "LABEL: best X s, median Y s, peak RSS Z MB (N runs)".
measure() {
  local label=$1 runs=$2; shift 2
  local times=() rss_max=0 out
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "${TMPDIR:-/tmp}/mhwopt_bench_time.$$" -f '%e %M' "$@" >/dev/null 2>&1
    out=$(tail -n 1 "${TMPDIR:-/tmp}/mhwopt_bench_time.$$")
    times+=("${out% *}")
    local rss=${out#* }
    (( rss > rss_max )) && rss_max=$rss
  done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  local best median
  best=$(echo "$sorted" | head -n 1)
  median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  LAST_BEST=$best
  LAST_RSS_KB=$rss_max
  printf '%-58s best %7.3f s  median %7.3f s  peak RSS %6.1f MB  (%d runs)\n' \
    "$label" "$best" "$median" "$(echo "$rss_max / 1024" | bc -l)" "$runs"
}

# subset_catalogue SOURCE.csv TARGET.csv PER_PART CHARMS: the first pieces of each part of a catalogue.
subset_catalogue() {
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import csv, sys
source, target, per_part, charms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(source, newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
kept, counts = [rows[0]], {}
for row in rows[1:]:
    part = row[9].lower()
    limit = charms if part == 'charm' else per_part
    if counts.get(part, 0) < limit:
        counts[part] = counts.get(part, 0) + 1
        kept.append(row)
with open(target, 'w', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerows(kept)
PY
}
