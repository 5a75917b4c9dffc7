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
# shellcheck source=scripts/lib/bench_reads.sh
. "$REPO_ROOT/scripts/lib/bench_reads.sh"
# shellcheck source=scripts/lib/bench_peer.sh
. "$REPO_ROOT/scripts/lib/bench_peer.sh"

# bench: the figures in docs/benchmarks.md, on a throwaway PostgreSQL. A
# benchmark, never a test: it prints numbers, and fails when it cannot run or
# measured nothing real (a refused request, a wrong answer, a failed trial).
cmd_bench() {
  if [[ ${1:-} == --peer ]]; then bench_peer; return; fi
  ensure_dotnet
  [[ ${1:-} == evaluation ]] && { ensure_dataset; dotnet_build || die "build failed"; dotnet "$JOBS_DLL" bench evaluation "${@:2}"; return; } # ./sweep bench evaluation: the clean evaluation's share of an epoch (no database)
  ensure_postgres
  ensure_dataset
  pg_setup_owner
  mkdir -p "$LOG_DIR"
  unset ConnectionStrings__Sweep
  trap test_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  test_reap_stale_clusters
  test_start_postgres
  dotnet_build || die "build failed"
  [[ ${1:-} == page ]] && { bench_page; return; } # ./sweep bench page: only the sweep page's figures
  [[ ${1:-} == layout ]] && { bench_layout; return; } # ./sweep bench layout: only the worker-layout throughput
  [[ ${1:-} == reads ]] && { bench_reads; return; } # ./sweep bench reads: only the API reads of the 10,000-trial sweep

  log "engine: roofline, F1 throughput, ghost BN"
  dotnet "$JOBS_DLL" bench

  pg_psql "$TEST_PG_PORT" postgres -c "CREATE DATABASE bench_scheduling"
  log "scheduling overhead with a no-op trainer"
  ConnectionStrings__Sweep="Host=127.0.0.1;Port=$TEST_PG_PORT;Database=bench_scheduling;Username=sweep" \
    dotnet "$JOBS_DLL" bench scheduling --trials 40 --workers 1,2,4

  log "reads of a 10,000-trial sweep with 20 epochs each"
  bench_reads
  bench_page
}
