# shellcheck shell=bash
# Shared helpers for ./sweep: logging, privilege escalation, apt, ports, HTTP
# probes, process bookkeeping, and the prerequisites (the .NET SDK, the
# dataset, chromium) and the build that several commands need. Sourced by
# ./sweep, never executed directly.

# ---------------------------------------------------------------- logging --
# Diagnostics go to stderr so that stdout stays clean for results (the test
# summary line must be the last line a CI log shows).
log()  { printf '[sweep] %s\n' "$*" >&2; }
warn() { printf '[sweep] WARNING: %s\n' "$*" >&2; }
die()  { printf '[sweep] ERROR: %s\n' "$*" >&2; exit 1; }

is_uint() { [[ ${1:-} =~ ^[0-9]+$ ]]; }

require_port() { # NAME VALUE
  if ! is_uint "$2" || (( 10#$2 < 1 || 10#$2 > 65535 )); then
    die "$1 must be a TCP port number (1-65535), got '$2'"
  fi
}

# ------------------------------------------------------------- privileges --
is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a command as root: directly when we are root, through sudo when it
# exists, otherwise fail with a message that says what to run by hand.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "root privileges are needed to run: $* (not root and sudo is not installed)"
  fi
}

# -------------------------------------------------------------------- apt --
_SWEEP_APT_UPDATED=0

# apt_install PKG...: installs Debian packages. 'apt-get update' runs at most
# once per invocation and only when something actually has to be installed.
apt_install() {
  command -v apt-get >/dev/null 2>&1 \
    || die "apt-get not found; install these packages with your package manager: $*"
  if (( ! _SWEEP_APT_UPDATED )); then
    log "apt-get update (needed to install: $*)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      || die "apt-get update failed"
    _SWEEP_APT_UPDATED=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    || die "apt-get install $* failed"
}

# ------------------------------------------------------------------ ports --
# port_in_use PORT: true when something listens on PORT (any local address).
port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    # Column 4 is Local Address:Port; match the port after the last ':'.
    ss -ltnH 2>/dev/null | awk -v p="$port" '{ n = split($4, a, ":"); if (a[n] == p) found = 1 } END { exit !found }'
  else
    # No ss (minimal images): a successful connect means someone listens.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# pick_free_port LO HI: prints a port in [LO, HI] that nobody listens on.
# Starts at a random offset so that concurrent runs rarely collide.
pick_free_port() {
  local lo=$1 hi=$2 span start i p
  span=$(( hi - lo + 1 ))
  start=$(( RANDOM % span ))
  for (( i = 0; i < span; i++ )); do
    p=$(( lo + (start + i) % span ))
    if ! port_in_use "$p"; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  return 1
}

# ------------------------------------------------------------------- http --
# http_status PORT PATH: prints the HTTP status code of GET
# http://127.0.0.1:PORT/PATH, or 000 when nothing answers. Falls back from
# curl to wget to bash's /dev/tcp so it works on minimal machines.
http_status() {
  local port=$1 path=$2 url code
  url="http://127.0.0.1:${port}${path}"
  if command -v curl >/dev/null 2>&1; then
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" 2>/dev/null) || true
  elif command -v wget >/dev/null 2>&1; then
    code=$(wget -q -S -O /dev/null -T 5 -t 1 "$url" 2>&1 | awk '/^ *HTTP\// { c = $2 } END { print c }') || true
  else
    code=$(
      exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 0
      printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
      timeout 5 head -n 1 <&3 | awk '{ print $2 }'
    ) 2>/dev/null || true
  fi
  printf '%s\n' "${code:-000}"
}

# -------------------------------------------------------------- processes --
# pid_alive PID: true when PID exists and is not a zombie. A zombie is dead,
# merely not reaped yet (some container inits never reap), but 'kill -0'
# still succeeds on it.
pid_alive() {
  local pid=$1 state=""
  is_uint "$pid" || return 1
  kill -0 "$pid" 2>/dev/null || [[ -e /proc/$pid ]] || return 1
  if [[ -r /proc/$pid/stat ]]; then
    state=$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null) || true
  fi
  [[ $state != Z ]]
}

# pid_matches PID PATTERN: true when PID is alive and (if /proc is there) its
# command line contains PATTERN. The pattern guards against PID reuse: a stale
# pidfile may name an unrelated process that got the same number.
pid_matches() {
  local pid=$1 pat=${2:-}
  pid_alive "$pid" || return 1
  if [[ -n $pat && -r /proc/$pid/cmdline ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pat" || return 1
  fi
  return 0
}

# read_pidfile FILE: prints the pid stored in FILE (empty if none/garbage).
read_pidfile() {
  local pid=""
  if [[ -f $1 ]]; then read -r pid <"$1" 2>/dev/null || true; fi
  is_uint "$pid" && printf '%s\n' "$pid"
  return 0
}

# stop_processes TIMEOUT PID...: SIGTERM, wait up to TIMEOUT seconds for all
# of them to exit, then SIGKILL whatever is left. Safe with dead PIDs.
stop_processes() {
  local timeout=$1; shift
  local p pids=() alive=()
  for p in "$@"; do
    pid_alive "$p" && pids+=("$p")
  done
  (( ${#pids[@]} )) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  local deadline=$(( SECONDS + timeout ))
  while :; do
    alive=()
    for p in "${pids[@]}"; do
      pid_alive "$p" && alive+=("$p")
    done
    (( ${#alive[@]} )) || return 0
    (( SECONDS < deadline )) || break
    sleep 0.5
  done
  warn "still running after ${timeout}s, sending SIGKILL to: ${alive[*]}"
  kill -KILL "${alive[@]}" 2>/dev/null || true
}

# run_child CMD...: runs CMD (a command or function) as a background child and
# waits for it. Bash defers traps until a *foreground* command finishes, so a
# SIGTERM sent to this script alone (e.g. CI cancelling the job) would wait
# for a whole build or test run; 'wait' returns at once and the trap runs.
# EXIT traps call stop_child to end the child too.
SWEEP_CHILD_PID=""
run_child() {
  local rc=0
  "$@" &
  SWEEP_CHILD_PID=$!
  wait "$SWEEP_CHILD_PID" || rc=$?
  SWEEP_CHILD_PID=""
  return "$rc"
}

stop_child() {
  if [[ -n $SWEEP_CHILD_PID ]]; then
    stop_processes 15 "$SWEEP_CHILD_PID"
    SWEEP_CHILD_PID=""
  fi
}

# ---------------------------------------------------------- prerequisites --
# What it expects from ./sweep: DATASET_FILE, CHROMIUM and SOLUTION.

# ensure_dotnet: the SDK is the one prerequisite we do not install ourselves
# (not in Debian's archive), so fail early with a pointer to it.
ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    # Common non-PATH install locations (dotnet-install.sh defaults).
    local d
    for d in "${DOTNET_ROOT:-}" "${HOME:-/nonexistent}/.dotnet"; do
      if [[ -n $d && -x $d/dotnet ]]; then
        export PATH="$d:$PATH"
        break
      fi
    done
  fi
  command -v dotnet >/dev/null 2>&1 \
    || die "the .NET SDK ('dotnet') was not found on PATH. Install the .NET 10 SDK from https://dot.net and re-run."
  dotnet --list-sdks 2>/dev/null | grep -q . \
    || die "'dotnet' is installed but has no SDK (runtime only?). Install the .NET 10 SDK from https://dot.net and re-run."
}

ensure_dataset() {
  [[ -f $DATASET_FILE ]] || apt_install dataset-fashion-mnist
  [[ -f $DATASET_FILE ]] || die "dataset-fashion-mnist is installed but $DATASET_FILE is missing"
}

# ensure_openapi_lint: Redocly's CLI, pinned by scripts/openapi-lint's lock file,
# in .sweep/tools/openapi-lint; exports SWEEP_TEST_REDOCLY for the lint test.
# It needs Node.js 20.19 or later and npm from the machine (the npm registry
# is reachable here); the install is skipped when the lock file is unchanged.
ensure_openapi_lint() {
  local src=$REPO_ROOT/scripts/openapi-lint dest=$SWEEP_DIR/tools/openapi-lint
  command -v npm >/dev/null 2>&1 || die "npm (Node.js 20.19 or later) is needed for the OpenAPI lint"
  if ! cmp -s "$src/package-lock.json" "$dest/package-lock.json" || [[ ! -x $dest/node_modules/.bin/redocly ]]; then
    log "npm ci @redocly/cli (scripts/openapi-lint)"
    mkdir -p "$dest"
    cp "$src/package.json" "$src/package-lock.json" "$dest/"
    (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci of the OpenAPI lint failed"
  fi
  export SWEEP_TEST_REDOCLY=$dest/node_modules/.bin/redocly
  export SWEEP_TEST_REDOCLY_CONFIG=$src/redocly.yaml
}

# ensure_chromium: browser tests drive Debian's chromium. Only 'test' needs it.
ensure_chromium() {
  [[ -x $CHROMIUM ]] || apt_install chromium
  [[ -x $CHROMIUM ]] || die "chromium was installed but $CHROMIUM is missing"
}

dotnet_build() {
  log "dotnet build Sweep.sln -c Release"
  # -v quiet still prints every warning and error; the rest is noise here.
  run_child dotnet build "$SOLUTION" -c Release -nologo -v quiet
}
