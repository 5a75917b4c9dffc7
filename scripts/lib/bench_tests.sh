# shellcheck shell=bash
# bench_tests [TEST ARGS...]: './sweep test' (with --fast, --tier T or
# --filter as given) while the machine's busy CPU is sampled from /proc/stat
# every second. All processes count, so PostgreSQL, chromium and the trainers
# do too. Prints each tier's wall time, CPU seconds and cores busy, the load
# average, and a fixed awk loop's time before and after as the VM's speed of the
# moment (it drifts by ±20 % and more). A benchmark: it dies when the tests
# fail, since their times then measure something else (docs/benchmarks.md, "The
# test command").

# A subshell: the sampler and the nested test command end with it.
bench_tests() (
  local samples stamped rc=0 sampler tests
  samples=$(mktemp /tmp/sweep-bench-tests-cpu.XXXXXX) || die "mktemp failed"
  stamped=$(mktemp /tmp/sweep-bench-tests-out.XXXXXX) || die "mktemp failed"
  trap 'kill "${sampler:-}" "${tests:-}" 2>/dev/null; rm -f -- "$samples" "$stamped"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local before_load before_loop
  before_load=$(bench_load_average)
  before_loop=$(bench_tests_calibrate)
  bench_tests_sample >"$samples" &
  sampler=$!
  "$REPO_ROOT/sweep" test "$@" > >(bench_tests_stamp "$stamped") 2>&1 &
  tests=$!
  wait "$tests" || rc=$?
  tests=""
  sleep 0.2 # the stamping process substitution writes its last lines
  (( rc == 0 )) || die "bench tests: ./sweep test $* failed (exit $rc); its times are not a measurement"
  printf '\nhost: %s cores; before: %s; awk loop %s s\n' "$(nproc)" "$before_load" "$before_loop"
  bench_tests_table "$samples" "$stamped"
  printf 'host after: %s; awk loop %s s\n' "$(bench_load_average)" "$(bench_tests_calibrate)"
)

# bench_tests_calibrate: seconds that a fixed single-threaded awk loop takes now.
bench_tests_calibrate() {
  local start=$EPOCHREALTIME
  awk 'BEGIN { for (i = 0; i < 20000000; i++) s += i * i }'
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

# bench_tests_sample: "TIME BUSY-JIFFIES" each second, for all CPUs together
# (user, nice, system, irq and softirq of /proc/stat's first line).
bench_tests_sample() {
  local user nice system irq softirq
  while :; do
    # The first line: cpu user nice system idle iowait irq softirq steal ...
    read -r _ user nice system _ _ irq softirq _ </proc/stat
    printf '%s %s\n' "$EPOCHREALTIME" $(( user + nice + system + irq + softirq ))
    sleep 1
  done
}

bench_tests_stamp() { # FILE: prints each line of stdin, and appends it to FILE after the time it came
  local line
  while IFS= read -r line; do
    printf '%s\n' "$line"
    printf '%s %s\n' "$EPOCHREALTIME" "$line" >>"$1"
  done
}

# bench_tests_table SAMPLES STAMPED: a tier runs from its first
# "[sweep] TIER tier: dotnet test" line to its "[sweep] TIER tier: N s" line.
bench_tests_table() {
  awk -v hz="$(getconf CLK_TCK)" '
    FNR == NR { t[++n] = $1; busy[n] = $2; next }
    function at(time,   i) { for (i = 1; i < n && t[i] < time; i++) {} return busy[i] }
    FNR == 1 { first = $1 }
    { last = $1 }
    match($0, /\[sweep\] [a-z]+ tier: dotnet test/) {
      tier = $3; if (!(tier in start)) { start[tier] = $1; order[++tiers] = tier }
    }
    match($0, /\[sweep\] [a-z]+ tier: [0-9]+ s$/) { end[$3] = $1 }
    END {
      printf "| tier | wall | CPU, all processes | cores busy |\n|---|---:|---:|---:|\n"
      for (k = 1; k <= tiers; k++) {
        tier = order[k]
        if (!(tier in end)) continue
        wall = end[tier] - start[tier]; cpu = (at(end[tier]) - at(start[tier])) / hz
        printf "| %s | %.0f s | %.0f s | %.2f |\n", tier, wall, cpu, cpu / wall
      }
      wall = last - first; cpu = (at(last) - at(first)) / hz
      printf "| the whole command | %.0f s | %.0f s | %.2f |\n", wall, cpu, cpu / wall
    }' "$1" "$2"
}
