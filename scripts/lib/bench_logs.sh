# shellcheck shell=bash
# bench_logs: issue 18's figures. The scheduling overhead of no-op trials with
# the trainer-output capture off (Worker__TrialLogTailBytes=0) and on (the
# default 1 MiB), alternating, with the rows and bytes the capture stored; then
# the output of one F1 trial on the whole of Fashion-MNIST (the defaults, B = 128,
# with its checkpoints, as a worker runs it) for BENCH_LOG_EPOCHS epochs (3).
bench_logs() {
  local run mode db bytes
  for run in 1 2; do
    for mode in off on; do
      db=bench_logs_${mode}_$run
      bytes=0
      [[ $mode == on ]] && bytes=1048576
      pg_psql "$TEST_PG_PORT" postgres -c "CREATE DATABASE $db"
      log "scheduling, 40 no-op trials on one worker, capture $mode (run $run)"
      env "ConnectionStrings__Sweep=Host=127.0.0.1;Port=$TEST_PG_PORT;Database=$db;Username=sweep" \
        "Worker__TrialLogTailBytes=$bytes" dotnet "$JOBS_DLL" bench scheduling --trials 40 --workers 1
      pg_psql "$TEST_PG_PORT" "$db" -Atc \
        "SELECT 'stored: ' || count(*) || ' chunks, ' || coalesce(sum(bytes), 0) || ' bytes of text, table and index ' || pg_total_relation_size('trial_log_chunks') || ' bytes' FROM trial_log_chunks"
    done
  done

  local epochs=${BENCH_LOG_EPOCHS:-3} dir start end
  dir=$(mktemp -d /tmp/sweep-bench-logs.XXXXXX) || die "mktemp failed"
  printf '{"dataset":"fashion-mnist","model":"f1","batchSize":128,"ghostBatchSize":128,"epochs":%s,"learningRate":0.1,"checkpointPath":"%s/checkpoint.pt"}\n' \
    "$epochs" "$dir" >"$dir/config.json"
  log "trainer output of an F1 trial on Fashion-MNIST, $epochs epochs"
  start=$(date +%s.%N)
  dotnet "$JOBS_DLL" train --config "$dir/config.json" >"$dir/stdout" 2>"$dir/stderr" || warn "the trainer exited with $?"
  end=$(date +%s.%N)
  printf 'stdout: %s bytes in %s lines; stderr: %s bytes; %s epochs in %.1f s\n' \
    "$(wc -c <"$dir/stdout")" "$(wc -l <"$dir/stdout")" "$(wc -c <"$dir/stderr")" "$epochs" "$(echo "$end - $start" | bc)"
  printf 'lines by event type:\n'
  grep -o '^{"type":"[a-z]*"' "$dir/stdout" | sort | uniq -c
  printf 'bytes by event type:\n'
  awk -F'"' '/^\{"type"/ { n[$4] += length($0) + 1 } END { for (t in n) print "  " t ": " n[t] }' "$dir/stdout"
  rm -rf -- "$dir"
}
