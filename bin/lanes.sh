# The lanes of make test and make mutants, sourced by bin/test-lanes, bin/mutant-lanes and bin/ci-lanes.
# Each lane is one harness process (a Surefire JVM, or bin/triad mutants --lane N) whose zones are on
# subnets no other lane uses; its lines are prefixed with its name; its exit code is kept in a file;
# its wall time is recorded for the time split (bin/triad time-split).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
MVN="${MVN:-mvn -B -q}"
main_dir=target/surefire-reports
side_dir=target/surefire-reports-side
queue="${TRIAD_MUTANT_QUEUE:-target/mutant-queue}"
split_dir="$root/target/time-split"
test_records="$split_dir/test.jsonl"
mutant_records="$split_dir/mutants.jsonl"
lanes_started=$SECONDS

# lane_record FILE NAME SECONDS: a lane's wall time, for the time split
lane_record() { printf '{"kind":"lane","name":"%s","wall_ms":%d}\n' "$2" "$(( $3 * 1000 ))" >> "$1"; }

# The side lane's classes: those whose zones are on subnets no other test uses (SFA's, the parts-absent one 20 up; three-phoenix's
# zone test and every item alone, whose zones are moved 10 subnets up); the main lane: every other class.
# Sized from the measured times (the fresh-clone run of 31c01e3: side 1145 s with PlasmaCloud's zone test,
# main 1370 s with three-phoenix's, the cores half idle while the main lane ran alone): three-phoenix's
# zone test (180 s) in the side lane and PlasmaCloud's (113 s) in the main one.
side_tests="${SIDE_TESTS:-SfaZoneTest,PartsAbsentZoneTest,PhoenixZoneTest,EveryItemAloneTest}"
main_tests="${MAIN_TESTS:-$(printf '%s\n' "${side_tests//,/$'\n'}" | sed 's/^/!/' | paste -sd, -)}"

tests_prepare() {
  rm -rf "$main_dir" "$side_dir" target/test-lanes-*.rc
  mkdir -p "$split_dir"
  rm -f "$test_records"
  echo "[test-lanes] compiling; then two lanes: side ($side_tests), main (${MAIN_TESTS:-every other class})" >&2
  $MVN test-compile || { local s=$?; echo "make test: the tests do not compile (maven exited $s)"; return "$s"; }
}

# test_lane side|main: one Surefire JVM; its exit code in target/test-lanes-<lane>.rc
test_lane() {
  local lane="$1" tests dir started=$SECONDS
  if [ "$lane" = side ]; then tests="$side_tests"; dir="$side_dir"; else tests="$main_tests"; dir="$main_dir"; fi
  if [ "$lane" = side ]; then
    TRIAD_TIME_SPLIT="$test_records" $MVN surefire:test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtriad.surefire.reports="$root/$dir" > >(sed -u 's/^/[side] /') 2> >(sed -u 's/^/[side] /' >&2)
  else
    TRIAD_TIME_SPLIT="$test_records" $MVN surefire:test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtriad.surefire.reports="$root/$dir"
  fi
  local s=$?
  echo "$s" > "target/test-lanes-$lane.rc"
  lane_record "$test_records" "make test: $lane" $(( SECONDS - started ))
  echo "[test-lanes] $lane lane done in $(( SECONDS - started )) s (maven exited $s)" >&2
}

# tests_status: 0 when both lanes passed; prints make test's closing lines and its own time split
tests_status() {
  local main side
  main="$(cat target/test-lanes-main.rc 2>/dev/null || echo 1)"
  side="$(cat target/test-lanes-side.rc 2>/dev/null || echo 1)"
  local s=0
  [ "$main" = 0 ] && [ "$side" = 0 ] || s=1
  bin/test-summary "$main_dir" "$s" "$side_dir"
  [ -f target/triad-acceptance.jar ] && bin/triad time-split "$main_dir" "$side_dir" "$test_records" --out target/time-split-test
  return "$s"
}

# idle_percent SECONDS: how idle the machine's cores were over the next SECONDS (from /proc/stat: idle
# and iowait jiffies of all cores), as a whole percent; blocks that long
idle_percent() {
  local a b
  read -r -a a < <(grep '^cpu ' /proc/stat)
  sleep "$1"
  read -r -a b < <(grep '^cpu ' /proc/stat)
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + ${b[$i]} - ${a[$i]} )); done
  local idle=$(( ${b[4]} - ${a[4]} + ${b[5]} - ${a[5]} ))
  [ "$total" -gt 0 ] && echo $(( 100 * idle / total )) || echo 0
}

mutants_prepare() {
  mkdir -p "$split_dir"
  rm -f "$mutant_records"
  bin/triad mutants --queue "$queue" --fill
}

# mutant_lane N [SHARE]: one harness process taking mutants from the queue (with SHARE, only those
# measured at most that share of a core busy: a light lane); its exit code in <queue>/lane-N.rc
mutant_lane() {
  local i="$1" started=$SECONDS light=()
  [ -n "${2:-}" ] && light=(--max-cpu-share "$2")
  TRIAD_TIME_SPLIT="$mutant_records" bin/triad mutants --queue "$queue" --lane "$i" "${light[@]}" \
    > >(sed -u "s|^|[lane $i] |") 2> >(sed -u "s|^|[lane $i] |" >&2)
  local s=$?
  echo "$s" > "$queue/lane-$i.rc"
  lane_record "$mutant_records" "make mutants: lane $i" $(( SECONDS - started ))
  echo "[mutants] lane $i done in $(( SECONDS - started )) s (exit $s)" >&2
}

# mutants_status LANES: every catalog's table, a line per catalog, the verdict; 0 when every mutant was caught
mutants_status() {
  local lanes="$1" i rc
  for i in $(seq 1 "$lanes"); do
    rc="$(cat "$queue/lane-$i.rc" 2>/dev/null || echo '?')"
    [ "$rc" = 0 ] || [ "$rc" = 1 ] || echo "[mutants] lane $i stopped with exit $rc: its last lines are above, prefixed [lane $i]" >&2
  done
  echo
  bin/triad mutants --queue "$queue" --summary
}
