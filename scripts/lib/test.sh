# shellcheck shell=bash
# './sweep test': lint the scripts, build, and run the test tiers against a
# throwaway PostgreSQL (a private cluster under /tmp/sweep-test-pg.*, deleted
# when the command ends; './sweep bench' uses the same one). Requires
# common.sh and pg.sh, and from ./sweep: REPO_ROOT, LOG_DIR, RESULTS_DIR and
# CHROMIUM. The last line of output is the summary CI reads.

# shellcheck source=scripts/lib/trx.sh
. "$REPO_ROOT/scripts/lib/trx.sh"
# shellcheck source=scripts/lib/tiers.sh
. "$REPO_ROOT/scripts/lib/tiers.sh"
# shellcheck source=scripts/lib/lint.sh
. "$REPO_ROOT/scripts/lib/lint.sh"

TEST_PORT_LO=56000
TEST_PORT_HI=56999

TEST_PG_DATA=""
TEST_PG_PORT=""
TEST_PG_LOG=""
TEST_OWNER_FILE="sweep-test-owner.pid"

# test_reap_stale_clusters: a killed earlier run (kill -9, lost CI runner)
# can leave its throwaway cluster behind. Remove those whose './sweep test'
# is gone. Directories without an owner file are left alone (they may be a
# concurrent run that is still inside initdb).
test_reap_stale_clusters() {
  local d owner
  for d in /tmp/sweep-test-pg.*; do
    [[ -d $d && -f $d/$TEST_OWNER_FILE ]] || continue
    owner=$(read_pidfile "$d/$TEST_OWNER_FILE")
    if [[ -n $owner ]] && pid_alive "$owner"; then
      continue
    fi
    log "removing stale throwaway cluster $d (its './sweep test' is gone)"
    pg_stop "$d" immediate || true
    rm -rf -- "$d" 2>/dev/null || true
  done
}

test_start_postgres() {
  TEST_PG_DATA=$(mktemp -d /tmp/sweep-test-pg.XXXXXX) || die "mktemp failed"
  pg_prepare_dir "$TEST_PG_DATA" || die "user '$PG_OWNER' cannot use $TEST_PG_DATA"
  # --no-sync: the cluster is deleted afterwards, durability is irrelevant.
  pg_initdb "$TEST_PG_DATA" "$LOG_DIR/test-initdb.log" --no-sync
  printf '%s\n' "$$" >"$TEST_PG_DATA/$TEST_OWNER_FILE"
  # Owned by the cluster owner so that a test can restart the server with
  # 'pg_ctl -l $SWEEP_TEST_PG_LOG' as that user.
  TEST_PG_LOG=$TEST_PG_DATA/postgres.log
  : >"$TEST_PG_LOG"
  if is_root; then chown "$PG_OWNER": "$TEST_PG_LOG"; fi

  local attempt port
  for attempt in 1 2 3 4 5; do
    port=$(pick_free_port "$TEST_PORT_LO" "$TEST_PORT_HI") \
      || die "no free port in $TEST_PORT_LO-$TEST_PORT_HI"
    # Durability off for speed; many connections because test classes run in
    # parallel, each with its own pools.
    pg_write_conf "$TEST_PG_DATA" "$port" \
      "max_connections = 300" "fsync = off" "synchronous_commit = off" "full_page_writes = off"
    if pg_start "$TEST_PG_DATA" "$TEST_PG_LOG"; then
      TEST_PG_PORT=$port
      log "throwaway PostgreSQL on 127.0.0.1:$port (data $TEST_PG_DATA)"
      return 0
    fi
    # Someone may have grabbed the port between our check and the bind.
    if (( attempt < 5 )) && grep -q 'Address already in use' "$TEST_PG_LOG"; then
      warn "port $port got taken; retrying with another one"
      continue
    fi
    break
  done
  tail -n 40 "$TEST_PG_LOG" >&2 || true
  die "could not start the throwaway PostgreSQL (log copied to .sweep/logs/test-postgres.log)"
}

# test_stop_postgres: stops and deletes the throwaway cluster. Runs explicitly
# before the summary (so nothing is printed after it) and again from the EXIT
# trap, where it is a no-op unless we got interrupted.
test_stop_postgres() {
  [[ -n $TEST_PG_DATA ]] || return 0
  local data=$TEST_PG_DATA pm
  TEST_PG_DATA=""
  # Never rm -rf anything but what mktemp gave us.
  [[ $data == /tmp/sweep-test-pg.* ]] || { warn "refusing to delete unexpected path $data"; return 0; }
  log "stopping and deleting the throwaway PostgreSQL"
  pm=$(read_pidfile "$data/postmaster.pid")
  # It may already be down (a fault test stopped it): failures are fine.
  pg_stop "$data" immediate || true
  if [[ -n $pm ]] && pid_matches "$pm" postgres; then
    warn "postmaster $pm survived pg_ctl stop; killing it"
    kill -KILL "$pm" 2>/dev/null || true
  fi
  cp -f -- "$data/postgres.log" "$LOG_DIR/test-postgres.log" 2>/dev/null || true
  rm -rf -- "$data"
}

test_cleanup() {
  local rc=$?
  set +e
  trap '' HUP INT TERM
  stop_child
  test_stop_postgres
  exit "$rc"
}

# test_parse_args ARGS...: sets TEST_TIERS (the tiers to run, in order),
# TEST_FILTER (the user's --filter, ANDed with each tier's) and TEST_ARGS
# (everything else, passed to every 'dotnet test').
test_parse_args() {
  TEST_TIERS=("${TIERS_ALL[@]}") TEST_FILTER="" TEST_ARGS=()
  while (( $# )); do
    case $1 in
      --fast) TEST_TIERS=(parallel) ;;
      --tier)
        (( $# >= 2 )) || die "--tier needs one of: ${TIERS_ALL[*]}"
        tier_filter "$2" "" >/dev/null
        TEST_TIERS=("$2"); shift ;;
      --filter)
        (( $# >= 2 )) || die "--filter needs a value"
        TEST_FILTER=$2; shift ;;
      --filter=*) TEST_FILTER=${1#--filter=} ;;
      *) TEST_ARGS+=("$1") ;;
    esac
    shift
  done
}

cmd_test() {
  test_parse_args "$@"
  ensure_dotnet
  ensure_postgres
  ensure_dataset
  ensure_openapi_lint
  [[ " ${TEST_TIERS[*]} " != *" browser "* ]] || ensure_chromium
  pg_setup_owner
  mkdir -p "$LOG_DIR"
  if [[ -n ${ConnectionStrings__Sweep:-} ]]; then
    # Tests must never touch a real database by accident.
    warn "ignoring ConnectionStrings__Sweep during tests (they use the throwaway cluster)"
    unset ConnectionStrings__Sweep
  fi

  trap test_cleanup EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
  test_reap_stale_clusters
  test_start_postgres

  # Tests create their own databases from SWEEP_TEST_PG (copies of one migrated
  # template, tests/TestSupport/TemplateDatabase.cs); the rest lets a
  # fault test stop/start this very cluster:
  #   $SWEEP_TEST_PG_USER_CMD $SWEEP_TEST_PG_BIN/pg_ctl -D $SWEEP_TEST_PG_DATA -m fast -w stop
  #   $SWEEP_TEST_PG_USER_CMD $SWEEP_TEST_PG_BIN/pg_ctl -D $SWEEP_TEST_PG_DATA -l $SWEEP_TEST_PG_LOG -w start
  export SWEEP_TEST_PG="Host=127.0.0.1;Port=$TEST_PG_PORT;Username=sweep;Database=postgres"
  export SWEEP_TEST_PG_BIN=$PG_BIN
  export SWEEP_TEST_PG_DATA=$TEST_PG_DATA
  export SWEEP_TEST_PG_PORT=$TEST_PG_PORT
  export SWEEP_TEST_PG_LOG=$TEST_PG_LOG
  export SWEEP_TEST_PG_USER_CMD="${PG_USER_CMD[*]}"
  export SWEEP_TEST_CHROMIUM=$CHROMIUM

  rm -rf -- "$RESULTS_DIR"
  mkdir -p "$RESULTS_DIR"

  local build_rc=0 test_rc=0 lint_rc=0 rc=0 tier jobs started
  # The script linter runs on one core beside the build, which leaves the other idle
  # for much of a no-op build.
  lint_scripts &
  local lint_pid=$!
  dotnet_build || build_rc=$?
  wait "$lint_pid" || lint_rc=$?
  if (( build_rc == 0 )); then
    # One tier after another: the system tier stops and restarts the shared
    # PostgreSQL, so nothing else may be running when it starts. Only the
    # parallel tier runs projects side by side; the others, one at a time.
    for tier in "${TEST_TIERS[@]}"; do
      jobs=1
      [[ $tier != parallel ]] || jobs=${SWEEP_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
      started=$SECONDS
      run_child tier_run "$tier" "$jobs" "$TEST_FILTER" "${TEST_ARGS[@]}" || test_rc=1
      log "$tier tier: $(( SECONDS - started )) s"
    done
  fi

  test_stop_postgres
  log "test results (.trx): ${RESULTS_DIR#"$REPO_ROOT"/}/<tier>/<project>/"
  trx_summarize "$RESULTS_DIR"

  if (( lint_rc )); then
    log "shellcheck found problems in the scripts (see above)"
    rc=1
  fi
  if (( build_rc )); then
    log "build failed (exit code $build_rc); no tests were run"
    rc=1
  elif (( test_rc )); then
    log "dotnet test failed in at least one project (see above)"
    rc=1
  fi
  (( TRX_FAILED == 0 )) || rc=1
  (( TRX_BROKEN == 0 )) || rc=1
  if (( build_rc == 0 && TRX_TOTAL == 0 )); then
    log "no tests ran (found $TRX_FILES .trx file(s) in ${RESULTS_DIR#"$REPO_ROOT"/})"
    rc=1
  fi
  # Must stay the very last line of output: CI reads it.
  printf '%d passed, %d failed, %d skipped\n' "$TRX_PASSED" "$TRX_FAILED" "$TRX_SKIPPED"
  exit "$rc"
}
