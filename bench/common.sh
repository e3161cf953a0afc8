# Shared helpers for the bench scripts: repeated runs on a noisy machine, best and median wall time,
# peak RSS. Source it; do not run it.

# A bench that cannot measure must say so and stop, never print zeros: its tools first.
# (Installed by scripts/install_deps.sh --bench.)
# BENCH_TIME: GNU time's path (tests/e2e/test_bench_common.sh points it elsewhere).
BENCH_TIME=${BENCH_TIME:-/usr/bin/time}
bench_fail() { echo "bench: $*" >&2; exit 1; }
for tool in "$BENCH_TIME" bc python3 sqlite3 timeout; do
  command -v "$tool" >/dev/null || bench_fail "$tool is missing; install the bench tools with: scripts/install_deps.sh --bench"
done

# measure LABEL RUNS COMMAND...: prints "LABEL: best X s, median Y s, peak RSS Z MB (N runs)", and
# the CPU time (user + system, every thread) best and median: on a shared machine the CPU a command
# needs varies far less than its wall time. Sets LAST_BEST, LAST_MEDIAN, LAST_CPU_BEST,
# LAST_CPU_MEDIAN, LAST_RSS_KB. Returns the status of the last run that failed (0 if none), so a
# caller decides whether a failing command (a timeout, say) is fatal; a run that gave no figures
# (the command could not start, or time printed nothing) ends the script whatever the caller says.
measure() {
  local label=$1 runs=$2; shift 2
  local times=() cpus=() rss_max=0 status=0 rc figures wall rss user system
  local record=${TMPDIR:-/tmp}/mhwopt_bench_time.$$
  for ((i = 0; i < runs; i++)); do
    rm -f "$record"
    rc=0
    "$BENCH_TIME" -o "$record" -f '%e %M %U %S' "$@" >/dev/null 2>&1 || rc=$?
    (( rc == 127 || rc == 126 )) && bench_fail "$label: cannot run '$1' (exit $rc)"
    (( rc != 0 )) && status=$rc
    figures=$(tail -n 1 "$record" 2>/dev/null || true)
    read -r wall rss user system <<<"$figures" || true
    [[ $wall =~ ^[0-9]+(\.[0-9]+)?$ && $user =~ ^[0-9]+(\.[0-9]+)?$ && $system =~ ^[0-9]+(\.[0-9]+)?$ && $rss =~ ^[0-9]+$ ]] && (( rss > 0 )) ||
      bench_fail "$label: no measurement (time recorded '$figures')"
    times+=("$wall")
    cpus+=("$(echo "$user + $system" | bc -l)")
    (( rss > rss_max )) && rss_max=$rss
  done
  rm -f "$record"
  local middle=$(( (runs + 1) / 2 ))
  LAST_BEST=$(printf '%s\n' "${times[@]}" | sort -g | head -n 1)
  LAST_MEDIAN=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "${middle}p")
  LAST_CPU_BEST=$(printf '%s\n' "${cpus[@]}" | sort -g | head -n 1)
  LAST_CPU_MEDIAN=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${middle}p")
  LAST_RSS_KB=$rss_max
  printf '%-58s best %7.3f s  median %7.3f s  CPU best %7.3f s median %7.3f s  peak RSS %6.1f MB  (%d runs)\n' \
    "$label" "$LAST_BEST" "$LAST_MEDIAN" "$LAST_CPU_BEST" "$LAST_CPU_MEDIAN" "$(echo "$rss_max / 1024" | bc -l)" "$runs"
  return "$status"
}

# floor NAME: remembers the last measure's CPU figures as floor NAME, for ratio.
floor() {
  printf -v "FLOOR_${1}_BEST" '%s' "$LAST_CPU_BEST"
  printf -v "FLOOR_${1}_MEDIAN" '%s' "$LAST_CPU_MEDIAN"
}

# ratio NAME: the last measure's CPU against floor NAME, best to best and median to median.
ratio() {
  local best_var="FLOOR_${1}_BEST" median_var="FLOOR_${1}_MEDIAN"
  # time counts CPU in hundredths: a floor of 0.00 s gives no ratio, only a bound on the command.
  if [[ $(echo "${!best_var} == 0 || ${!median_var} == 0" | bc) == 1 ]]; then
    printf '   CPU against %s: the floor took under 0.01 s of CPU, below what time can tell apart\n' "$1"
    return
  fi
  printf '   CPU against %s: best %.2fx, median %.2fx\n' "$1" \
    "$(echo "$LAST_CPU_BEST / ${!best_var}" | bc -l)" "$(echo "$LAST_CPU_MEDIAN / ${!median_var}" | bc -l)"
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
