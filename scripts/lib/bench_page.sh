# shellcheck shell=bash
# bench_page: the sweep page at 1,000 and 10,000 trials, opened in Debian's
# headless chromium as a signed-in user (docs/benchmarks.md, "The sweep page
# at the cell limit"). A benchmark: it prints figures, and fails loudly (die)
# when it measured nothing real: a seed that did not store its trials, a page
# that never drew its heatmap or showed an error, a sign-in that failed.
#
# What it expects (cmd_bench provides all of it):
#   - common.sh, pg.sh and bench_web.sh sourced: log, die, pg_psql,
#     bench_web_start (the web app with a throwaway administrator);
#   - TEST_PG_PORT: the throwaway cluster that cmd_bench started; bench_page
#     creates its own database there;
#   - a Release build: WEB_DLL, WEB_DIR, JOBS_DLL, JOBS_DIR and the Reproduce
#     tool (its bench-page verb, src/Reproduce/PageBench.cs, drives chromium
#     with Playwright); LOG_DIR exists; CHROMIUM (installed when missing).
# What it does: migrates the database bench_page, stores two finished sweeps
# with scripts/bench/seed-10k.sql (as written, and with its series cut to
# 1,000 trials under another id), starts the web app with a throwaway
# administrator, and per sweep signs in through the form, opens the page a
# first time (printed, kept out of the median: nothing of the sweep is in the
# web's shared sweep-page read yet, and the server's first render of the page
# compiles it) and then BENCH_PAGE_RUNS times (default 3), each visit in a
# fresh browser context.
#
# Printed per visit: navigation start → the heatmap's trace drawn by Plotly
# (from the prerendered figure), → the circuit's own chart drawn and clickable,
# the time the heatmap was blank in between, first byte, DOM ready, the load
# event, the trial table's rows and all table rows in the document; then the
# web process's RSS (VmRSS) and its peak so far (VmHWM) before the visits and
# after each size, and the load average before and after.

BENCH_PAGE_DB=bench_page
BENCH_PAGE_SWEEP_10K=00000000-0000-7000-8000-000000010000
BENCH_PAGE_SWEEP_1K=00000000-0000-7000-8000-000000001000

# A subshell: the web app is stopped however it ends, and its settings stay in it.
bench_page() (
  local runs=${BENCH_PAGE_RUNS:-3} email=bench-page@example.org password
  [[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_PAGE_RUNS must be a positive whole number"
  [[ -x $CHROMIUM ]] || apt_install chromium
  trap bench_web_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  password=$(bench_web_password)
  bench_page_seed
  bench_web_start page "$BENCH_PAGE_DB" "$email" "$password"
  printf '\nhost: %s cores; %s\n' "$(nproc)" "$(bench_load_average)"
  bench_page_rss "before the visits"
  bench_page_visit "$BENCH_WEB_URL" "$email" "$password" "1,000=$BENCH_PAGE_SWEEP_1K" "$runs"
  bench_page_rss "after 1,000"
  bench_page_visit "$BENCH_WEB_URL" "$email" "$password" "10,000=$BENCH_PAGE_SWEEP_10K" "$runs"
  bench_page_rss "after 10,000"
  printf 'host after: %s\n' "$(bench_load_average)"
)

bench_page_sql() { # SQL: one value, unaligned
  pg_psql "$TEST_PG_PORT" "$BENCH_PAGE_DB" -At -c "$1"
}

# bench_page_seed: the 10,000-trial sweep as seed-10k.sql writes it, and a
# 1,000-trial one from the same file; dies unless both hold their trials.
bench_page_seed() {
  local seed=$REPO_ROOT/scripts/bench/seed-10k.sql
  pg_psql "$TEST_PG_PORT" postgres -c "CREATE DATABASE $BENCH_PAGE_DB" >/dev/null
  (cd "$JOBS_DIR" && ConnectionStrings__Sweep="Host=127.0.0.1;Port=$TEST_PG_PORT;Database=$BENCH_PAGE_DB;Username=sweep" \
    dotnet "$JOBS_DLL" migrate >"$LOG_DIR/bench-page-migrate.log" 2>&1) \
    || die "bench page: migrations failed (log: $LOG_DIR/bench-page-migrate.log)"
  log "bench page: seeding sweeps of 1,000 and 10,000 trials (scripts/bench/seed-10k.sql)"
  sed -e "s/$BENCH_PAGE_SWEEP_10K/$BENCH_PAGE_SWEEP_1K/" -e 's/bench-10k/bench-1k/g' \
      -e 's/generate_series(0, 9999)/generate_series(0, 999)/' "$seed" \
    | pg_psql "$TEST_PG_PORT" "$BENCH_PAGE_DB" -v ON_ERROR_STOP=1 -q -f - >/dev/null \
    || die "bench page: seeding the 1,000-trial sweep failed"
  pg_psql "$TEST_PG_PORT" "$BENCH_PAGE_DB" -v ON_ERROR_STOP=1 -q -f "$seed" >/dev/null \
    || die "bench page: seeding the 10,000-trial sweep failed"
  (( $(bench_page_sql "SELECT count(*) FROM trials WHERE sweep_id = '$BENCH_PAGE_SWEEP_1K' AND state = 'completed'") == 1000 )) \
    || die "bench page: the 1,000-trial sweep does not hold 1,000 completed trials (has seed-10k.sql changed its shape?)"
  (( $(bench_page_sql "SELECT count(*) FROM trials WHERE sweep_id = '$BENCH_PAGE_SWEEP_10K' AND state = 'completed'") == 10000 )) \
    || die "bench page: the 10,000-trial sweep does not hold 10,000 completed trials"
}

# bench_page_visit URL EMAIL PASSWORD LABEL=SWEEP RUNS: the driver's table.
bench_page_visit() {
  local dll=$REPO_ROOT/src/Reproduce/bin/Release/$TFM/Sweep.Reproduce.dll
  log "bench page: ${4%%=*} trials, a first visit + $5 in the median, in chromium"
  dotnet "$dll" bench-page --url "$1" --email "$2" --password "$3" --sweep "$4" --runs "$5" --chromium "$CHROMIUM" \
    || die "bench page: the ${4%%=*}-trial page was not measured (web log: $LOG_DIR/bench-page-web.log)"
}

bench_page_rss() { # WHEN: the web process's resident and peak memory
  local status=/proc/$BENCH_WEB_PID/status
  [[ -r $status ]] || die "bench page: the web app ($BENCH_WEB_PID) is gone"
  awk -v when="$1" '/^VmRSS/ { rss = $2 } /^VmHWM/ { peak = $2 }
    END { printf "web process %s: RSS %.0f MB, peak RSS %.0f MB\n", when, rss / 1024, peak / 1024 }' "$status"
}
