# shellcheck shell=bash
# The local PostgreSQL of './sweep up' and './sweep psql': its data directory
# (.sweep/pgdata, or a per-checkout one under /tmp), started, reused or left
# alone, and stopped only when this invocation started it. Requires common.sh
# and pg.sh, and SWEEP_DIR, RUN_DIR, LOG_DIR, REPO_ROOT and DEFAULT_PG_PORT
# from ./sweep.

UP_PG_PORT=""
UP_PG_STARTED=0      # 1 only when this invocation started the cluster
UP_PG_DATA=""

# up_pick_datadir: .sweep/pgdata, unless the postgres user cannot reach it
# (e.g. the checkout is under /root, mode 700); then a stable per-checkout
# directory under /tmp, so the cluster is still reused across runs.
up_pick_datadir() {
  local dir=$SWEEP_DIR/pgdata
  if pg_prepare_dir "$dir"; then
    UP_PG_DATA=$dir
  else
    local sum fallback
    sum=$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)
    fallback=/tmp/sweep-pgdata-$(id -u)-$sum
    warn "user '$PG_OWNER' cannot access $dir (a parent directory is not traversable for it);"
    warn "using $fallback for the PostgreSQL data instead"
    rmdir -- "$dir" 2>/dev/null || true
    pg_prepare_dir "$fallback" || die "user '$PG_OWNER' cannot use $fallback either"
    UP_PG_DATA=$fallback
  fi
  printf '%s\n' "$UP_PG_DATA" >"$RUN_DIR/pgdata.path"
}

up_start_postgres() {
  ensure_postgres
  pg_setup_owner
  up_pick_datadir
  pg_match_cluster "$UP_PG_DATA"
  local pglog=$LOG_DIR/postgres.log running_port

  if pg_running "$UP_PG_DATA"; then
    running_port=$(pg_running_port "$UP_PG_DATA")
    log "reusing the PostgreSQL already running on $UP_PG_DATA (port $running_port); it will be left running"
    if [[ -n $running_port && $running_port != "$UP_PG_PORT" ]]; then
      warn "it listens on port $running_port, not $UP_PG_PORT; using $running_port"
      UP_PG_PORT=$running_port
    fi
  elif pg_accepts_sweep "$UP_PG_PORT"; then
    log "reusing the PostgreSQL that accepts user 'sweep' on 127.0.0.1:$UP_PG_PORT; it will be left running"
  elif port_in_use "$UP_PG_PORT"; then
    die "port $UP_PG_PORT is used by something that is not a Sweep PostgreSQL; choose another with SWEEP_PG_PORT"
  else
    if [[ ! -f $UP_PG_DATA/PG_VERSION ]]; then
      pg_initdb "$UP_PG_DATA" "$LOG_DIR/initdb.log"
    fi
    pg_write_conf "$UP_PG_DATA" "$UP_PG_PORT"
    log "starting PostgreSQL on 127.0.0.1:$UP_PG_PORT (data ${UP_PG_DATA#"$REPO_ROOT"/}, log ${pglog#"$REPO_ROOT"/})"
    # Set before starting: if pg_ctl times out half-way, cleanup still stops it.
    UP_PG_STARTED=1
    if ! pg_start "$UP_PG_DATA" "$pglog"; then
      tail -n 40 "$pglog" >&2 || true
      die "PostgreSQL did not start (log: $pglog)"
    fi
  fi
  pg_ensure_db "$UP_PG_PORT" sweep
}

# up_stop_postgres: part of up_cleanup; stops the cluster only if we started it.
up_stop_postgres() {
  if (( UP_PG_STARTED )); then
    log "stopping PostgreSQL (${UP_PG_DATA#"$REPO_ROOT"/})"
    pg_stop "$UP_PG_DATA" fast || warn "pg_ctl stop failed; see .sweep/logs/postgres.log"
  fi
}

# cmd_psql ARGS...: './sweep psql', psql on the 'sweep' database of the 'up'
# cluster, wherever up_pick_datadir put its data.
cmd_psql() {
  ensure_postgres
  local port=${SWEEP_PG_PORT:-$DEFAULT_PG_PORT} data running
  data=$(cat "$RUN_DIR/pgdata.path" 2>/dev/null || printf '%s' "$SWEEP_DIR/pgdata")
  running=$(pg_running_port "$data" || true)
  [[ -n $running ]] && port=$running
  pg_accepts_sweep "$port" \
    || die "no Sweep PostgreSQL answers on 127.0.0.1:$port; start one with ./sweep up"
  exec "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U sweep -d sweep "$@"
}
