# shellcheck shell=bash
# bench_reads: API reads of a finished 10,000-trial sweep through Kestrel on
# loopback with curl, as an authenticated client (docs/benchmarks.md, "Reads
# of a 10,000-trial sweep"). A benchmark: it prints figures, and fails loudly
# (die) when it measured nothing real: a seed that did not store its trials,
# a sign-in or token that failed, an answer that is not 200, or a body that is
# not what was asked (the sweep without its 10,000 trials, a heatmap without
# its 100 × 10 cells of 10 trials each, a trial page without 100 rows).
#
# What it expects (cmd_bench provides all of it):
#   - common.sh, pg.sh and bench_web.sh sourced; curl and jq (jq is installed
#     with apt when missing);
#   - TEST_PG_PORT: the throwaway cluster that cmd_bench started; bench_reads
#     creates its own database there;
#   - a Release build: WEB_DLL, WEB_DIR, JOBS_DLL, JOBS_DIR; LOG_DIR exists.
# What it does: migrates the database bench_reads, stores the sweep with
# scripts/bench/seed-10k.sql (batchSize 32…3200 in 100 steps × regime 1…10 ×
# seeds 0…9, 21 points per metric), starts the web app with a throwaway
# administrator, signs in and creates a read token, then per request: 3
# untimed warm-ups, one checked read (status and body), and BENCH_READS_RUNS
# (default 20) timed GETs, each of which must answer 200.
#
# Printed: one row per request (median, p90, body size), and the load
# average before and after.

BENCH_READS_DB=bench_reads
BENCH_READS_SWEEP=00000000-0000-7000-8000-000000010000
BENCH_READS_TOKEN=""

# What every heatmap of the seeded sweep must hold: batchSize × regime, all
# cells valued, each the mean of its 10 seeds.
BENCH_READS_HEATMAP_CHECK='(.x | length) == 100 and (.y | length) == 10 and ([.count[][]] | length == 1000 and all(. == 10)) and ([.z[][]] | all(. != null))'

# A subshell: the web app is stopped however it ends, and its settings stay in it.
bench_reads() (
  local runs=${BENCH_READS_RUNS:-20} base heatmap
  [[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_READS_RUNS must be a positive whole number"
  command -v jq >/dev/null 2>&1 || apt_install jq
  trap bench_web_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  bench_reads_seed
  bench_reads_start_web
  base=/api/v1/sweeps/$BENCH_READS_SWEEP
  heatmap="$base/heatmap?x=batchSize&y=regimeMultiplier&metric=valAccuracy"
  printf '\nhost: %s cores; %s\n' "$(nproc)" "$(bench_load_average)"
  printf '| request | first read | median | p90 | body |\n|---|---:|---:|---:|---:|\n'
  bench_reads_get "GET /api/v1/sweeps/{id} (10,000 trials)" "$base" '.trials | length == 10000'
  bench_reads_get "GET /api/v1/sweeps/{id}/heatmap" "$heatmap" "$BENCH_READS_HEATMAP_CHECK"
  bench_reads_get "GET /api/v1/sweeps/{id}/heatmap?at=epoch:10" "$heatmap&at=epoch:10" "$BENCH_READS_HEATMAP_CHECK"
  bench_reads_get "GET /api/v1/sweeps/{id}/heatmap?at=best" "$heatmap&at=best" "$BENCH_READS_HEATMAP_CHECK"
  bench_reads_get "GET /api/v1/sweeps/{id}/heatmap?trialIds=true" "$heatmap&trialIds=true" \
    "$BENCH_READS_HEATMAP_CHECK and ([.trials[][][]] | length == 10000)"
  bench_reads_revalidate "GET /api/v1/sweeps/{id}/heatmap, If-None-Match (304)" "$heatmap"
  bench_reads_get "GET /api/v1/sweeps/{id}/trials?limit=100" "$base/trials?limit=100&orderBy=valAccuracy&descending=true" '.items | length == 100'
  printf 'host after: %s\n' "$(bench_load_average)"
)

# bench_reads_seed: the 10,000-trial sweep of seed-10k.sql; dies unless it holds them.
bench_reads_seed() {
  pg_psql "$TEST_PG_PORT" postgres -c "CREATE DATABASE $BENCH_READS_DB" >/dev/null
  (cd "$JOBS_DIR" && ConnectionStrings__Sweep="Host=127.0.0.1;Port=$TEST_PG_PORT;Database=$BENCH_READS_DB;Username=sweep" \
    dotnet "$JOBS_DLL" migrate >"$LOG_DIR/bench-reads-migrate.log" 2>&1) \
    || die "bench reads: migrations failed (log: $LOG_DIR/bench-reads-migrate.log)"
  log "bench reads: seeding a sweep of 10,000 trials with 20 epochs each (scripts/bench/seed-10k.sql)"
  pg_psql "$TEST_PG_PORT" "$BENCH_READS_DB" -v ON_ERROR_STOP=1 -q -f "$REPO_ROOT/scripts/bench/seed-10k.sql" >/dev/null \
    || die "bench reads: seeding the 10,000-trial sweep failed"
  (( $(pg_psql "$TEST_PG_PORT" "$BENCH_READS_DB" -At -c "SELECT count(*) FROM trials WHERE sweep_id = '$BENCH_READS_SWEEP' AND state = 'completed'") == 10000 )) \
    || die "bench reads: the sweep does not hold 10,000 completed trials (has seed-10k.sql changed its shape?)"
}

# bench_reads_start_web: the web app on the seeded database, and a read token
# of its administrator in BENCH_READS_TOKEN.
bench_reads_start_web() {
  local email=bench-reads@example.org password
  password=$(bench_web_password)
  bench_web_start reads "$BENCH_READS_DB" "$email" "$password"
  BENCH_READS_TOKEN=$(bench_web_token reads "$email" "$password" read)
}

# bench_reads_fetch PATH OUT [CURL ARGS...]: GETs PATH with the token into
# OUT; prints "STATUS SECONDS".
bench_reads_fetch() {
  local path=$1 out=$2
  shift 2
  curl -s -o "$out" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $BENCH_READS_TOKEN" "$@" "$BENCH_WEB_URL$path" \
    || printf '000 0\n'
}

# bench_reads_get LABEL PATH CHECK: the row of one request; CHECK is a jq
# expression that must be true of its body.
bench_reads_get() {
  local label=$1 path=$2 check=$3 body n status seconds first times=() bytes
  body=$(mktemp)
  # The first read projects the heatmap from the trial rows; later ones at the same results version are cached.
  read -r status first < <(bench_reads_fetch "$path" "$body")
  for n in 1 2; do bench_reads_fetch "$path" "$body" >/dev/null; done
  read -r status seconds < <(bench_reads_fetch "$path" "$body")
  if [[ $status != 200 ]]; then
    printf '%s\n' "$(head -c 2000 "$body")" >&2
    rm -f "$body"
    die "bench reads: GET $path answered $status, not 200"
  fi
  if ! jq -e "$check" "$body" >/dev/null 2>&1; then
    printf '%s…\n' "$(head -c 600 "$body")" >&2
    rm -f "$body"
    die "bench reads: GET $path answered 200 with a body that fails: $check"
  fi
  bytes=$(wc -c <"$body")
  for ((n = 0; n < ${BENCH_READS_RUNS:-20}; n++)); do
    read -r status seconds < <(bench_reads_fetch "$path" /dev/null)
    [[ $status == 200 ]] || { rm -f "$body"; die "bench reads: timed GET $path answered $status, not 200"; }
    times+=("$seconds")
  done
  rm -f "$body"
  bench_reads_row "$label" "$first" "$bytes" "${times[@]}"
}

# bench_reads_row LABEL FIRST BYTES SECONDS...: one table row (first read, median, p90).
bench_reads_row() {
  local label=$1 first=$2 bytes=$3
  shift 3
  printf '%s\n' "$@" | sort -n | awk -v label="$label" -v bytes="$bytes" -v first="$first" '{ t[NR] = $1 * 1000 }
    END { median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; p90 = t[int(NR * 0.9 + 0.999999)]
          printf "| %s | %.0f ms | %.0f ms | %.0f ms | %s bytes |\n", label, first * 1000, median, p90, bytes }'
}

# bench_reads_revalidate LABEL PATH: PATH sent back with its own ETag; every
# answer must be 304 with an empty body.
bench_reads_revalidate() {
  local label=$1 path=$2 etag headers n status seconds times=()
  headers=$(mktemp)
  bench_reads_fetch "$path" /dev/null -D "$headers" >/dev/null
  etag=$(tr -d '\r' <"$headers" | sed -n 's/^etag: //Ip')
  rm -f "$headers"
  [[ -n $etag ]] || die "bench reads: GET $path answered without an ETag"
  for ((n = 0; n < ${BENCH_READS_RUNS:-20}; n++)); do
    read -r status seconds < <(bench_reads_fetch "$path" /dev/null -H "If-None-Match: $etag")
    [[ $status == 304 ]] || die "bench reads: GET $path with If-None-Match: $etag answered $status, not 304"
    times+=("$seconds")
  done
  bench_reads_row "$label" "${times[0]}" 0 "${times[@]}"
}
