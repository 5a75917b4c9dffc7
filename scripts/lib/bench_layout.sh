# shellcheck shell=bash
# bench_layout: sweep throughput on this CPU host for two worker layouts,
# 1 worker × 2 trainer threads and 2 workers × 1 thread (docs/benchmarks.md,
# "Throughput on a CPU host"). A benchmark: it prints figures, and fails loudly
# (die) when it measured nothing real: a non-2xx answer, a trial that did not
# complete, a trainer that did not run with the layout's threads.
#
# What it expects (cmd_bench provides all of it):
#   - common.sh, pg.sh and bench_web.sh sourced: log, die, apt_install,
#     pg_psql, pid_alive, stop_processes, bench_web_start, bench_web_token,
#     and bench.sh's bench_track_pid;
#     jq and curl (jq is installed with apt when missing);
#   - TEST_PG_PORT: the throwaway cluster that cmd_bench started
#     (test_start_postgres); bench_layout creates its own database there;
#   - a Release build: WEB_DLL, WEB_DIR, JOBS_DLL, JOBS_DIR; LOG_DIR exists;
#   - the Fashion-MNIST files (ensure_dataset).
# What it does: migrates the database bench_layout, starts the web app with a
# throwaway administrator, signs in as it and creates a read-write access
# token (the form, then POST /api/v1/tokens: bench_web_token), warms libtorch
# and the page cache with one untimed trial, then per layout starts the
# workers, waits until they have registered, posts the 12-cell grid below
# through POST /api/v1/sweeps with the token, and waits until every trial has
# ended. Layouts run in alternation, BENCH_LAYOUT_ROUNDS times (default 1).
#
# Printed per run: submit → last result (from the POST to the latest
# trials.finished_at), trials per hour, the mean trial (started → finished),
# and the load average before and after.
#
# The grid: batchSize [64, 128, 256] × ghostBatchSize [32, 64] × regime [1, 2]
# = 12 cells on an 8,192-sample subset of Fashion-MNIST, 2 base epochs (a
# regime of 2 trains 4), F1, ghost BN vectorized, seed 1.

BENCH_LAYOUT_GRID='"grid": { "batchSize": [64, 128, 256], "ghostBatchSize": [32, 64], "regimeMultiplier": [1, 2] }'
BENCH_LAYOUT_TRAINING='"training": { "epochs": 2, "learningRate": 0.1, "referenceBatchSize": 128, "lrScaling": "sqrt",
  "momentum": 0.9, "weightDecay": 0.0001, "lrDropEpochs": [], "lrDropFactor": 0.1, "gradientClipNorm": 5.0,
  "seeds": [1], "trainSubset": 8192 }'
BENCH_LAYOUT_CELLS=12
BENCH_LAYOUT_TIMEOUT_S=${BENCH_LAYOUT_TIMEOUT_S:-1800}

BENCH_LAYOUT_DB=bench_layout
BENCH_LAYOUT_TOKEN=""
BENCH_LAYOUT_WORKER_PIDS=()
declare -gA BENCH_LAYOUT_WALLS=() # "WORKERSxTHREADS" → the walls of its runs, in seconds

# A subshell: its processes are stopped however it ends, and its settings stay in it.
bench_layout() (
  local rounds=${BENCH_LAYOUT_ROUNDS:-1} round layout
  [[ $rounds =~ ^[1-9][0-9]*$ ]] || die "BENCH_LAYOUT_ROUNDS must be a positive whole number"
  command -v jq >/dev/null 2>&1 || apt_install jq
  trap bench_layout_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  bench_layout_start_web
  bench_layout_warm_up
  printf '\nhost: %s cores; %s\n' "$(nproc)" "$(bench_load_average)"
  printf '| run | layout | trials | submit → last result | trials/h | mean trial | load before → after |\n'
  printf '|---:|---|---:|---:|---:|---:|---|\n'
  for ((round = 1; round <= rounds; round++)); do
    for layout in 1x2 2x1; do
      bench_layout_run "$round" "${layout%x*}" "${layout#*x}"
    done
  done
  bench_layout_summary
)

bench_layout_sql() { # SQL: one value, unaligned
  pg_psql "$TEST_PG_PORT" "$BENCH_LAYOUT_DB" -At -c "$1"
}

# bench_layout_api METHOD PATH [BODY]: the response body; dies unless 2xx.
bench_layout_api() {
  local method=$1 path=$2 body=${3:-} out code
  out=$(mktemp)
  code=$(curl -s -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $BENCH_LAYOUT_TOKEN" \
    -H 'Content-Type: application/json' ${body:+--data-binary "$body"} "$BENCH_WEB_URL$path") || code=000
  if [[ $code != 2?? ]]; then
    printf '%s\n' "$(head -c 2000 "$out")" >&2
    rm -f "$out"
    die "bench layout: $method $path answered $code, not 2xx"
  fi
  cat "$out"
  rm -f "$out"
}

bench_layout_start_web() {
  local email=bench-layout@example.org password
  password=$(bench_web_password)
  pg_psql "$TEST_PG_PORT" postgres -c "CREATE DATABASE $BENCH_LAYOUT_DB"
  export ConnectionStrings__Sweep="Host=127.0.0.1;Port=$TEST_PG_PORT;Database=$BENCH_LAYOUT_DB;Username=sweep"
  (cd "$JOBS_DIR" && dotnet "$JOBS_DLL" migrate >"$LOG_DIR/bench-layout-migrate.log" 2>&1) \
    || die "bench layout: migrations failed (log: $LOG_DIR/bench-layout-migrate.log)"
  bench_web_start layout "$BENCH_LAYOUT_DB" "$email" "$password"
  BENCH_LAYOUT_TOKEN=$(bench_web_token layout "$email" "$password" read-write)
  bench_layout_api GET /api/v1/sweeps >/dev/null # the token reads
}

# bench_layout_start_workers TAG COUNT THREADS: COUNT workers named
# bench-TAG-1…; returns once all of them have registered.
bench_layout_start_workers() {
  local tag=$1 count=$2 threads=$3 i
  BENCH_LAYOUT_WORKER_PIDS=()
  for ((i = 1; i <= count; i++)); do
    (cd "$JOBS_DIR" && Worker__Name=bench-$tag-$i Worker__TrainerThreads=$threads \
      exec dotnet "$JOBS_DLL" worker >"$LOG_DIR/bench-layout-$tag-$i.log" 2>&1) &
    BENCH_LAYOUT_WORKER_PIDS+=("$!")
    bench_track_pid "$!"
  done
  for ((i = 0; i < 240; i++)); do
    (( $(bench_layout_sql "SELECT count(*) FROM workers WHERE name LIKE 'bench-$tag-%' AND state = 'active'") == count )) && return 0
    for pid in "${BENCH_LAYOUT_WORKER_PIDS[@]}"; do
      pid_alive "$pid" || die "bench layout: worker $pid exited (logs: $LOG_DIR/bench-layout-$tag-*.log)"
    done
    sleep 0.5
  done
  die "bench layout: the $count worker(s) of $tag did not register within 120 s"
}

bench_layout_stop_workers() {
  (( ${#BENCH_LAYOUT_WORKER_PIDS[@]} )) && stop_processes 60 "${BENCH_LAYOUT_WORKER_PIDS[@]}"
  BENCH_LAYOUT_WORKER_PIDS=()
}

bench_layout_stop() {
  bench_layout_stop_workers
  bench_web_stop
}

# bench_layout_sweep NAME GRID: posts the sweep, prints its id.
bench_layout_sweep() {
  local body="{ \"name\": \"$1\", \"dataset\": \"fashion-mnist\", \"model\": \"f1\", $2, $BENCH_LAYOUT_TRAINING }"
  bench_layout_api POST /api/v1/sweeps "$body" | jq -er .id \
    || die "bench layout: POST /api/v1/sweeps did not answer with a sweep id"
}

# bench_layout_wait SWEEP CELLS THREADS: waits until every trial has ended;
# dies unless all CELLS trials completed with THREADS trainer threads.
bench_layout_wait() {
  local sweep=$1 cells=$2 threads=$3 deadline=$(( SECONDS + BENCH_LAYOUT_TIMEOUT_S )) completed
  while (( $(bench_layout_sql "SELECT count(*) FROM trials WHERE sweep_id = '$sweep' AND state IN ('queued', 'running')") > 0 )); do
    (( SECONDS < deadline )) || die "bench layout: sweep $sweep did not finish within ${BENCH_LAYOUT_TIMEOUT_S}s"
    sleep 0.5
  done
  completed=$(bench_layout_api GET "/api/v1/sweeps/$sweep" | jq '[.trials[] | select(.state == "completed")] | length')
  if [[ $completed != "$cells" ]]; then
    bench_layout_sql "SELECT state, failure_kind, left(error, 200) FROM trials WHERE sweep_id = '$sweep'" >&2
    die "bench layout: $completed of $cells trials of sweep $sweep completed"
  fi
  (( $(bench_layout_sql "SELECT count(*) FROM trials WHERE sweep_id = '$sweep' AND environment::jsonb ->> 'threads' = '$threads'") == cells )) \
    || die "bench layout: not every trainer of sweep $sweep reported $threads libtorch thread(s)"
}

bench_layout_warm_up() {
  log "bench layout: one untimed trial to warm libtorch and the page cache"
  bench_layout_start_workers warm 1 2
  bench_layout_wait "$(bench_layout_sweep layout-warm-up '"grid": { "batchSize": [128], "ghostBatchSize": [32], "regimeMultiplier": [1] }')" 1 2
  bench_layout_stop_workers
}

bench_layout_median() { tr ' ' '\n' <<<"$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench_layout_summary() {
  local one two
  one=$(bench_layout_median "${BENCH_LAYOUT_WALLS[1x2]}")
  two=$(bench_layout_median "${BENCH_LAYOUT_WALLS[2x1]}")
  awk -v a="$one" -v b="$two" -v n="$BENCH_LAYOUT_CELLS" 'BEGIN {
    printf "\nmedian submit → last result: 1 worker × 2 threads %.1f s (%.0f trials/h), 2 workers × 1 thread %.1f s (%.0f trials/h); 2 × 1 finishes %.2f× sooner\n",
      a, n * 3600 / a, b, n * 3600 / b, a / b }'
}

# bench_layout_run ROUND WORKERS THREADS: one timed sweep of the grid; prints its row.
bench_layout_run() {
  local round=$1 workers=$2 threads=$3 tag="r$1-$2x$3" load_before sweep submitted last wall mean
  bench_layout_start_workers "$tag" "$workers" "$threads"
  load_before=$(bench_load_average)
  log "bench layout: run $round, $workers worker(s) × $threads thread(s): $BENCH_LAYOUT_CELLS cells"
  submitted=$(date +%s.%N)
  sweep=$(bench_layout_sweep "layout-$tag" "$BENCH_LAYOUT_GRID")
  bench_layout_wait "$sweep" "$BENCH_LAYOUT_CELLS" "$threads"
  last=$(bench_layout_sql "SELECT extract(epoch FROM max(finished_at)) FROM trials WHERE sweep_id = '$sweep'")
  mean=$(bench_layout_sql "SELECT round(avg(extract(epoch FROM finished_at - started_at))::numeric, 1) FROM trials WHERE sweep_id = '$sweep'")
  wall=$(awk -v a="$submitted" -v b="$last" 'BEGIN { printf "%.1f", b - a }')
  BENCH_LAYOUT_WALLS[${workers}x$threads]+="${BENCH_LAYOUT_WALLS[${workers}x$threads]:+ }$wall"
  printf '| %d | %d worker(s) × %d thread(s) | %d | %s s | %s | %s s | %s → %s |\n' "$round" "$workers" "$threads" \
    "$BENCH_LAYOUT_CELLS" "$wall" "$(awk -v n="$BENCH_LAYOUT_CELLS" -v w="$wall" 'BEGIN { printf "%.0f", n * 3600 / w }')" \
    "$mean" "${load_before#load average }" "$(bench_load_average | sed 's/load average //')"
  bench_layout_stop_workers
}
