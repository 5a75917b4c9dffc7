# shellcheck shell=bash
# bench_load: the heatmap under load (docs/benchmarks.md, "The heatmap under
# load"): BENCH_LOAD_READERS (16) readers of the 10,000-trial sweep of
# bench_reads (the heatmap, the heatmap revalidated with If-None-Match, a
# trials page) and BENCH_LOAD_WRITERS (2) writers creating 1-cell sweeps, for
# BENCH_LOAD_SECONDS (30), through Kestrel on loopback. The driver is
# scripts/bench/load.py (python3, standard library). A benchmark: it prints
# requests/s and p50, p95, p99 per kind, and fails when any answer is not 2xx
# or 304 (the driver exits 1).
#
# What it expects: what bench_reads expects (it reuses its seed and sign-in),
# and python3.

BENCH_LOAD_DB=bench_load

# A subshell: the web app is stopped however it ends.
bench_load() (
  local email=bench-load@example.org password read_token write_token
  command -v jq >/dev/null 2>&1 || apt_install jq
  command -v python3 >/dev/null 2>&1 || die "bench load: python3 is needed for scripts/bench/load.py"
  trap bench_web_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  BENCH_READS_DB=$BENCH_LOAD_DB bench_reads_seed
  password=$(bench_web_password)
  bench_web_start load "$BENCH_LOAD_DB" "$email" "$password"
  read_token=$(bench_web_token load "$email" "$password" read)
  write_token=$(bench_web_token load "$email" "$password" read-write)
  printf '\nhost: %s cores; %s\n' "$(nproc)" "$(bench_load_average)"
  python3 "$REPO_ROOT/scripts/bench/load.py" --url "$BENCH_WEB_URL" --sweep "$BENCH_READS_SWEEP" \
    --read-token "$read_token" --write-token "$write_token" \
    --readers "${BENCH_LOAD_READERS:-16}" --writers "${BENCH_LOAD_WRITERS:-2}" --seconds "${BENCH_LOAD_SECONDS:-30}" \
    || die "bench load: the load had errors (above)"
  printf 'host after: %s\n' "$(bench_load_average)"
)
