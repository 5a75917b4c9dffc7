# shellcheck shell=bash
# bench_webhooks: issue 18's webhook delivery latency. Starts the web app (the
# one that delivers) and a loopback receiver (bench/webhooks/receiver.py) that
# checks every signature; registers a hook on the default project; then sends
# BENCH_WEBHOOK_EVENTS (20) test events one after another and times each from
# the API call that queues it to its verified arrival. Prints min, median, p90
# and max. Fails when an event never arrives or a signature is refused.
bench_webhooks() {
  local email=bench-webhooks@bench.test password token port dir created secret hook events=${BENCH_WEBHOOK_EVENTS:-20} i sent arrived
  password=$(bench_web_password)
  pg_psql "$TEST_PG_PORT" postgres -c "CREATE DATABASE bench_webhooks" >/dev/null
  (cd "$JOBS_DIR" && ConnectionStrings__Sweep="Host=127.0.0.1;Port=$TEST_PG_PORT;Database=bench_webhooks;Username=sweep" \
    dotnet "$JOBS_DLL" migrate >"$LOG_DIR/bench-webhooks-migrate.log" 2>&1) \
    || die "bench webhooks: migrations failed (log: $LOG_DIR/bench-webhooks-migrate.log)"
  bench_web_start webhooks bench_webhooks "$email" "$password"
  token=$(bench_web_token webhooks "$email" "$password" read-write)
  dir=$(mktemp -d /tmp/sweep-bench-webhooks.XXXXXX) || die "mktemp failed"
  port=$(pick_free_port 58100 58999) || die "bench webhooks: no free port"
  created=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary "{\"url\":\"http://127.0.0.1:$port/hook\",\"events\":[\"sweep.finished\"]}" \
    "$BENCH_WEB_URL/api/v1/projects/default/webhooks") || die "bench webhooks: creating the hook failed"
  secret=$(jq -er .secret <<<"$created") || die "bench webhooks: no secret in $created"
  hook=$(jq -er .webhook.id <<<"$created") || die "bench webhooks: no hook id in $created"
  SWEEP_WEBHOOK_SECRET=$secret python3 "$REPO_ROOT/bench/webhooks/receiver.py" "$port" "$dir/arrivals" &
  bench_track_pid $!
  sleep 1
  : >"$dir/arrivals"
  log "webhooks: $events test events, each timed from POST .../test to its verified arrival"
  for ((i = 1; i <= events; i++)); do
    sent=$(date +%s.%N)
    [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
      "$BENCH_WEB_URL/api/v1/projects/default/webhooks/$hook/test") == 202 ]] || die "bench webhooks: POST test was refused"
    bench_webhooks_wait "$dir/arrivals" "$i"
    grep -q '^rejected' "$dir/arrivals" && die "bench webhooks: the receiver refused a signature"
    arrived=$(tail -n 1 "$dir/arrivals" | cut -d' ' -f1)
    echo "$arrived - $sent" | bc >>"$dir/latencies"
  done
  sort -g "$dir/latencies" | awk -v n="$events" '{ v[NR] = $1 * 1000 } END {
    printf "delivery latency over %d events (ms): min %.0f, median %.0f, p90 %.0f, max %.0f\n", n, v[1], v[int((n + 1) / 2)], v[int(n * 0.9 + 0.5)], v[n] }'
  printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf -- "$dir"
  bench_web_stop
}

# bench_webhooks_wait FILE N: waits (up to 30 s) until FILE has N lines.
bench_webhooks_wait() {
  local i
  for ((i = 0; i < 1500; i++)); do
    [[ $(wc -l <"$1") -ge $2 ]] && return 0
    sleep 0.02
  done
  die "bench webhooks: event $2 never arrived within 30 s"
}
