# shellcheck shell=bash
# './sweep bench': the figures of docs/benchmarks.md. Its parts live in the
# bench_*.sh files sourced below; this file picks the part to run and gives the
# parts what they expect: a Release build and the throwaway PostgreSQL of
# test.sh. Requires common.sh, pg.sh and test.sh, and from ./sweep: REPO_ROOT,
# LOG_DIR, WEB_DIR, WEB_DLL, JOBS_DIR, JOBS_DLL, TFM and CHROMIUM.

# shellcheck source=scripts/lib/bench_web.sh
. "$REPO_ROOT/scripts/lib/bench_web.sh"
# shellcheck source=scripts/lib/bench_layout.sh
. "$REPO_ROOT/scripts/lib/bench_layout.sh"
# shellcheck source=scripts/lib/bench_page.sh
. "$REPO_ROOT/scripts/lib/bench_page.sh"
# shellcheck source=scripts/lib/bench_tests.sh
. "$REPO_ROOT/scripts/lib/bench_tests.sh"
# shellcheck source=scripts/lib/bench_reads.sh
. "$REPO_ROOT/scripts/lib/bench_reads.sh"
# shellcheck source=scripts/lib/bench_load.sh
. "$REPO_ROOT/scripts/lib/bench_load.sh"
# shellcheck source=scripts/lib/bench_peer.sh
. "$REPO_ROOT/scripts/lib/bench_peer.sh"
# shellcheck source=scripts/lib/bench_logs.sh
. "$REPO_ROOT/scripts/lib/bench_logs.sh"
# shellcheck source=scripts/lib/bench_webhooks.sh
. "$REPO_ROOT/scripts/lib/bench_webhooks.sh"

BENCH_PIDS_FILE="" # the web apps and workers the parts started, one pid a line

# bench: the figures in docs/benchmarks.md, on a throwaway PostgreSQL. A
# benchmark, never a test: it prints numbers, and fails when it cannot run or
# measured nothing real (a refused request, a wrong answer, a failed trial).
#
# Why the traps: whatever ends it (a step that fails and dies, set -e, Ctrl-C,
# CI's SIGTERM, a closed terminal), bench_cleanup must stop what it started:
# the step that is running, the web apps and workers of the bench_* parts,
# and the throwaway cluster. Otherwise they outlive it, holding their ports,
# the cluster and the CPU that the next measurement needs. die and set -e
# both end in 'exit', which runs the EXIT trap, so no ERR trap is needed; the
# signal traps turn a signal into such an exit. Every step runs through
# run_child, so that a signal is handled at once rather than when the step
# ends, and bench_cleanup can stop the step itself.
cmd_bench() {
  trap bench_cleanup EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [[ ${1:-} == --peer ]]; then bench_peer; return; fi
  [[ ${1:-} == tests ]] && { run_child bench_tests "${@:2}"; return; } # ./sweep bench tests [--fast]: the test command's CPU per tier
  ensure_dotnet
  [[ ${1:-} == evaluation ]] && { ensure_dataset; dotnet_build || die "build failed"; run_child dotnet "$JOBS_DLL" bench evaluation "${@:2}"; return; } # ./sweep bench evaluation: the clean evaluation's share of an epoch (no database)
  ensure_postgres
  ensure_dataset
  pg_setup_owner
  mkdir -p "$LOG_DIR"
  unset ConnectionStrings__Sweep
  BENCH_PIDS_FILE=$(mktemp /tmp/sweep-bench-pids.XXXXXX) || die "mktemp failed"
  test_reap_stale_clusters
  test_start_postgres
  dotnet_build || die "build failed"
  [[ ${1:-} == page ]] && { run_child bench_page; return; } # ./sweep bench page: only the sweep page's figures
  [[ ${1:-} == layout ]] && { run_child bench_layout; return; } # ./sweep bench layout: only the worker-layout throughput
  [[ ${1:-} == reads ]] && { run_child bench_reads; return; } # ./sweep bench reads: only the API reads of the 10,000-trial sweep
  [[ ${1:-} == load ]] && { run_child bench_load; return; } # ./sweep bench load: 16 readers and 2 writers for 30 s
  [[ ${1:-} == logs ]] && { run_child bench_logs; return; } # ./sweep bench logs: what storing trainer output costs
  [[ ${1:-} == webhooks ]] && { run_child bench_webhooks; return; } # ./sweep bench webhooks: delivery latency to a loopback receiver

  log "engine: roofline, F1 throughput, ghost BN"
  run_child dotnet "$JOBS_DLL" bench

  pg_psql "$TEST_PG_PORT" postgres -c "CREATE DATABASE bench_scheduling"
  log "scheduling overhead with a no-op trainer"
  run_child env "ConnectionStrings__Sweep=Host=127.0.0.1;Port=$TEST_PG_PORT;Database=bench_scheduling;Username=sweep" \
    dotnet "$JOBS_DLL" bench scheduling --trials 40 --workers 1,2,4

  log "reads of a 10,000-trial sweep with 20 epochs each"
  run_child bench_reads
  run_child bench_load
  run_child bench_page
}

# bench_track_pid PID: notes a web app or worker that a part started in the
# background, for bench_cleanup. The parts run in subshells (bench_reads,
# bench_page, bench_layout), whose variables this shell never sees.
bench_track_pid() {
  if [[ -n $BENCH_PIDS_FILE ]]; then printf '%s\n' "$1" >>"$BENCH_PIDS_FILE"; fi
}

# bench_cleanup: the EXIT trap of cmd_bench; keeps its exit code. The running
# step and the tracked processes get SIGTERM together: a part's subshell is
# two processes (run_child's and the body's), and stopping run_child's leaves
# the body to end on its own once its web app and the cluster are gone.
bench_cleanup() {
  local rc=$?
  set +e
  # A second Ctrl-C must not abort the shutdown half-way.
  trap '' HUP INT TERM
  bench_stop_started ${SWEEP_CHILD_PID:+"$SWEEP_CHILD_PID"}
  SWEEP_CHILD_PID=""
  test_stop_postgres
  # Again, for what a part's body started while it was being stopped.
  bench_stop_started
  [[ -z $BENCH_PIDS_FILE ]] || rm -f -- "$BENCH_PIDS_FILE"
  exit "$rc"
}

# bench_stop_started [PID...]: stops PID and every tracked process that is
# still alive and still a Sweep app of this checkout (not an unrelated
# process that got a tracked pid again): SIGTERM, SIGKILL after 30 s.
bench_stop_started() {
  local pids=("$@") pid
  if [[ -n $BENCH_PIDS_FILE && -f $BENCH_PIDS_FILE ]]; then
    while read -r pid; do
      if pid_matches "$pid" "$REPO_ROOT/src/"; then pids+=("$pid"); fi
    done <"$BENCH_PIDS_FILE"
  fi
  (( ${#pids[@]} == 0 )) || stop_processes 30 "${pids[@]}"
}


# bench_load_average: "load average 1, 5, 15", which every part prints before
# and after it measures (the 2 cores must be otherwise idle).
bench_load_average() { uptime | sed 's/.*load average: /load average /'; }
