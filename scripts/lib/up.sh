# shellcheck shell=bash
# './sweep up': build, start (or reuse) PostgreSQL, migrate, then run the web
# app and the workers until Ctrl-C or until one of them dies; on the way out,
# stop what this invocation started and nothing else. Requires common.sh and
# pg.sh, and from ./sweep: REPO_ROOT, SWEEP_DIR, LOG_DIR, RUN_DIR, WEB_DIR,
# WEB_DLL, JOBS_DIR, JOBS_DLL, DEFAULT_WEB_PORT, DEFAULT_PG_PORT and usage.

# shellcheck source=scripts/lib/layout.sh
. "$REPO_ROOT/scripts/lib/layout.sh"
# shellcheck source=scripts/lib/up_pg.sh
. "$REPO_ROOT/scripts/lib/up_pg.sh"

HEALTH_TIMEOUT_S=${SWEEP_HEALTH_TIMEOUT:-120}
STOP_TIMEOUT_S=30

UP_WEB_PORT=""
UP_WEB_PID=""
UP_WORKERS=1          # worker processes, from SWEEP_WORKERS (see up_resolve_layout)
UP_TRAINER_THREADS="" # Worker__TrainerThreads for each; empty keeps libtorch's default
UP_WORKER_LABELS=()   # worker, or worker-1 … worker-N: their log and pidfile names
UP_WORKER_PIDS=()     # in the order of UP_WORKER_LABELS
UP_TAIL_PIDS=()
UP_CLEANED=0

# up_check_not_running: refuses to start a second instance. Pidfiles whose
# processes are gone are stale leftovers (crash, kill -9) and get removed.
up_check_not_running() {
  local pid name f
  pid=$(read_pidfile "$RUN_DIR/up.pid")
  if [[ -n $pid ]] && pid_matches "$pid" sweep; then
    die "another './sweep up' is already running (pid $pid). Stop it with Ctrl-C in its terminal (or: kill $pid)."
  fi
  for f in "$RUN_DIR"/web.pid "$RUN_DIR"/worker*.pid; do
    [[ -e $f ]] || continue
    name=$(basename -- "$f" .pid)
    pid=$(read_pidfile "$f")
    if [[ -n $pid ]] && pid_matches "$pid" "$(app_dll "$name")"; then
      die "the $name process of an earlier './sweep up' is still running (pid $pid); leaving it alone. Stop it with: kill $pid"
    fi
  done
  for f in "$RUN_DIR"/*.pid; do
    [[ -e $f ]] || continue
    log "removing stale pidfile ${f#"$REPO_ROOT"/} (its process is gone)"
    rm -f -- "$f"
  done
  if port_in_use "$UP_WEB_PORT"; then
    die "port $UP_WEB_PORT is already in use (is Sweep already up?). Use another one with --port N or SWEEP_WEB_PORT; nothing was stopped."
  fi
}

app_dll() { case $1 in web) echo Sweep.Web.dll ;; worker*) echo Sweep.Jobs.dll ;; esac; }

up_show_log() { # NAME: last 40 lines of that app's log, for failure reports
  local f=$LOG_DIR/$1.log
  printf -- '----- last 40 lines of %s -----\n' "${f#"$REPO_ROOT"/}" >&2
  tail -n 40 "$f" >&2 2>/dev/null || true
  printf -- '-----\n' >&2
}

up_migrate_cmd() {
  cd "$JOBS_DIR" && exec dotnet "$JOBS_DLL" migrate </dev/null >"$LOG_DIR/migrate.log" 2>&1
}

up_migrate() {
  log "applying migrations (Sweep.Jobs migrate; log .sweep/logs/migrate.log)"
  if ! run_child up_migrate_cmd; then
    up_show_log migrate
    die "migrations failed"
  fi
}

# up_start_app NAME WORKDIR CMD...: runs CMD in the background with its output
# in .sweep/logs/NAME.log and records its pid in .sweep/run/NAME.pid. The
# working directory is the project folder (like 'dotnet run'), so the content
# root finds appsettings*.json and wwwroot.
up_start_app() {
  local name=$1 workdir=$2; shift 2
  local logfile=$LOG_DIR/$name.log pid
  [[ -f $logfile ]] && mv -f -- "$logfile" "$logfile.prev"
  # The subshell execs, so $! is the app itself.
  ( cd "$workdir" && exec "$@" ) </dev/null >"$logfile" 2>&1 &
  pid=$!
  printf '%s\n' "$pid" >"$RUN_DIR/$name.pid"
  case $name in
    web) UP_WEB_PID=$pid ;;
    worker*) UP_WORKER_LABELS+=("$name"); UP_WORKER_PIDS+=("$pid") ;;
  esac
  if [[ ${SWEEP_FOLLOW_LOGS:-1} != 0 ]]; then
    up_follow_log "$name" "$logfile"
  fi
}

# up_resolve_layout: how many workers to start and each trainer's threads
# (scripts/lib/layout.sh: SWEEP_WORKERS, SWEEP_TRAINER_THREADS).
up_resolve_layout() {
  layout_resolve
  UP_WORKERS=$LAYOUT_WORKERS
  UP_TRAINER_THREADS=$LAYOUT_THREADS
}

up_layout_text() {
  local per=${UP_TRAINER_THREADS:-"libtorch's default"}
  if (( UP_WORKERS == 1 )); then
    printf '1 worker, %s trainer thread(s)' "$per"
  else
    printf '%d workers, %s trainer thread(s) each' "$UP_WORKERS" "$per"
  fi
}

up_worker_label() { (( UP_WORKERS == 1 )) && echo worker || echo "worker-$1"; }

up_worker_log_names() {
  local i names=()
  for ((i = 1; i <= UP_WORKERS; i++)); do names+=("$(up_worker_label "$i")"); done
  local IFS=,
  printf '%s' "${names[*]}"
}

# up_start_workers: UP_WORKERS worker processes, each with its own name and
# its trainers' thread count in the environment.
up_start_workers() {
  local i name
  local -a env_args
  for ((i = 1; i <= UP_WORKERS; i++)); do
    env_args=()
    name=$(layout_worker_name "$i" "$UP_WORKERS")
    [[ -n $name ]] && env_args+=("Worker__Name=$name")
    [[ -n $UP_TRAINER_THREADS ]] && env_args+=("Worker__TrainerThreads=$UP_TRAINER_THREADS")
    up_start_app "$(up_worker_label "$i")" "$JOBS_DIR" env "${env_args[@]}" dotnet "$JOBS_DLL" worker
  done
}

# up_follow_log NAME FILE: echoes FILE to the terminal with a "[NAME]" prefix.
# GNU tail's --pid makes it exit on its own even if this script is SIGKILLed.
up_follow_log() {
  local name=$1 file=$2 prefix
  local -a opts=(-n +1 -F)
  tail --version 2>/dev/null | grep -q GNU && opts+=("--pid=$$")
  printf -v prefix '%-9s' "[$name]"
  # A bash read loop, not awk/sed: Debian's mawk buffers piped input, and
  # sed -u is GNU-only; both would hold lines back until shutdown.
  tail "${opts[@]}" -- "$file" 2>/dev/null \
    > >(while IFS= read -r line || [[ -n $line ]]; do printf '%s%s\n' "$prefix" "$line"; done) &
  UP_TAIL_PIDS+=("$!")
}

up_wait_healthy() {
  local deadline=$(( SECONDS + HEALTH_TIMEOUT_S )) code=000 i
  log "waiting for http://127.0.0.1:$UP_WEB_PORT/health (up to ${HEALTH_TIMEOUT_S}s)"
  while :; do
    if ! pid_alive "$UP_WEB_PID"; then
      up_show_log web
      die "the web app exited during startup"
    fi
    for i in "${!UP_WORKER_PIDS[@]}"; do
      if ! pid_alive "${UP_WORKER_PIDS[$i]}"; then
        up_show_log "${UP_WORKER_LABELS[$i]}"
        die "${UP_WORKER_LABELS[$i]} exited during startup"
      fi
    done
    code=$(http_status "$UP_WEB_PORT" /health)
    [[ $code == 200 ]] && return 0
    if (( SECONDS >= deadline )); then
      up_show_log web
      die "web did not answer /health with 200 within ${HEALTH_TIMEOUT_S}s (last status: $code)"
    fi
    sleep 1
  done
}

up_banner() {
  local url=http://127.0.0.1:$UP_WEB_PORT
  cat <<EOF

==============================================================
  Sweep is up: $url
  API:         $url/api/v1  (Authorization: Bearer <token>; tokens: $url/account)
  Hangfire:    $url/hangfire  (administrators)
  Workers:     $(up_layout_text)
  Logs:        .sweep/logs/{web,$(up_worker_log_names),postgres}.log
$(up_account_hint "$url")
  Press Ctrl-C to stop
==============================================================

EOF
}

# up_account_hint: how to get in. With no account yet and no SWEEP_ADMIN_EMAIL/
# PASSWORD given, the web app logs a one-time setup code for the first
# administrator; without it nobody can claim the administrator.
up_account_hint() {
  local url=$1 i code
  # Hosted services (the account check among them) finish before the host logs "Application started".
  for ((i = 0; i < 20; i++)); do
    grep -q 'Application started' "$LOG_DIR/web.log" 2>/dev/null && break
    sleep 0.5
  done
  code=$(grep -o 'First administrator setup code: swa_[A-Za-z0-9_-]*' "$LOG_DIR/web.log" 2>/dev/null | tail -n 1 | sed 's/.*: //')
  if [[ -n $code ]]; then
    cat <<EOF
  No account yet. Create the administrator with the one-time setup code
  (valid 24 h, replaced at each start until used):
    open $url/account/register?setup=$code
  or restart with the administrator given in the environment:
    SWEEP_ADMIN_EMAIL=you@example.org SWEEP_ADMIN_PASSWORD='...' ./sweep up
EOF
  elif [[ -n ${SWEEP_ADMIN_EMAIL:-} ]]; then
    printf '  Sign in:     %s/account/login as %s\n' "$url" "$SWEEP_ADMIN_EMAIL"
  else
    printf '  Sign in:     %s/account/login\n' "$url"
  fi
}

# up_supervise: returns never; exits when web or any worker dies. Ctrl-C and
# SIGTERM interrupt the short 'wait' at once and run the traps.
up_supervise() {
  local names=(web "${UP_WORKER_LABELS[@]}") pids=("$UP_WEB_PID" "${UP_WORKER_PIDS[@]}") i name pid rc
  while :; do
    for i in "${!names[@]}"; do
      name=${names[$i]} pid=${pids[$i]}
      if ! pid_alive "$pid"; then
        rc=0
        wait "$pid" 2>/dev/null || rc=$?
        warn "$name exited unexpectedly (exit code $rc); shutting everything down"
        up_show_log "$name"
        exit 1
      fi
    done
    sleep 1 &
    wait $! || true
  done
}

# up_cleanup: EXIT trap. Stops what this invocation started, nothing else.
up_cleanup() {
  local rc=$? name pid
  set +e
  (( UP_CLEANED )) && return
  UP_CLEANED=1
  # A second Ctrl-C must not abort the shutdown half-way.
  trap '' HUP INT TERM
  stop_child
  if [[ -n $UP_WEB_PID || ${#UP_WORKER_PIDS[@]} -gt 0 ]]; then
    log "stopping ${#UP_WORKER_PIDS[@]} worker(s) and web (SIGTERM, SIGKILL after ${STOP_TIMEOUT_S}s)"
    stop_processes "$STOP_TIMEOUT_S" "${UP_WORKER_PIDS[@]}" ${UP_WEB_PID:+"$UP_WEB_PID"}
  fi
  (( ${#UP_TAIL_PIDS[@]} )) && kill "${UP_TAIL_PIDS[@]}" 2>/dev/null
  # Remove only pidfiles that name our own processes.
  local ours=" $UP_WEB_PID ${UP_WORKER_PIDS[*]} $$ "
  for name in web "${UP_WORKER_LABELS[@]}" up; do
    pid=$(read_pidfile "$RUN_DIR/$name.pid")
    if [[ -n $pid && $ours == *" $pid "* ]]; then
      rm -f -- "$RUN_DIR/$name.pid"
    fi
  done
  up_stop_postgres
  exit "$rc"
}

cmd_up() {
  local web_port=${SWEEP_WEB_PORT:-$DEFAULT_WEB_PORT}
  while (( $# )); do
    case $1 in
      --port) (( $# >= 2 )) || die "--port needs a value"; web_port=$2; shift 2 ;;
      --port=*) web_port=${1#--port=}; shift ;;
      -h|--help) usage; return 0 ;;
      *) die "unknown option for 'up': $1 (see ./sweep help)" ;;
    esac
  done
  UP_WEB_PORT=$web_port
  UP_PG_PORT=${SWEEP_PG_PORT:-$DEFAULT_PG_PORT}
  require_port "web port" "$UP_WEB_PORT"
  require_port SWEEP_PG_PORT "$UP_PG_PORT"
  is_uint "$HEALTH_TIMEOUT_S" || die "SWEEP_HEALTH_TIMEOUT must be a number of seconds"
  up_resolve_layout

  mkdir -p "$LOG_DIR" "$RUN_DIR"
  # Check-and-claim under a lock so two 'up's started at once cannot both
  # pass the check. The lock is released right away so that no child (build
  # servers, postgres) inherits it; from then on up.pid marks the instance.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$RUN_DIR/up.lock"
    flock -w 10 9 || die "could not lock $RUN_DIR/up.lock"
  fi
  up_check_not_running
  printf '%s\n' "$$" >"$RUN_DIR/up.pid"
  if command -v flock >/dev/null 2>&1; then
    flock -u 9
    exec 9>&-
  fi
  trap up_cleanup EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM

  ensure_dotnet
  # A user-supplied database needs no local server.
  if [[ -z ${ConnectionStrings__Sweep:-} ]]; then ensure_postgres; fi
  ensure_dataset
  dotnet_build || die "build failed (errors above)"
  [[ -f $WEB_DLL && -f $JOBS_DLL ]] || die "build output missing: expected $WEB_DLL and $JOBS_DLL"

  if [[ -n ${ConnectionStrings__Sweep:-} ]]; then
    log "using ConnectionStrings__Sweep from the environment; not starting a local PostgreSQL"
  else
    up_start_postgres
    export ConnectionStrings__Sweep="Host=127.0.0.1;Port=$UP_PG_PORT;Database=sweep;Username=sweep"
  fi
  export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}

  up_migrate
  log "starting web on http://127.0.0.1:$UP_WEB_PORT and $(up_layout_text)"
  up_start_app web "$WEB_DIR" dotnet "$WEB_DLL" --urls "http://127.0.0.1:$UP_WEB_PORT"
  up_start_workers
  up_wait_healthy
  up_banner
  up_supervise
}
