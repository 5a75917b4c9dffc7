# shellcheck shell=bash
# PostgreSQL helpers for ./sweep: find/install the server, run its tools as a
# user it accepts, and create/start/stop private clusters. Requires common.sh.

PG_BIN=""          # directory with initdb, pg_ctl, postgres, psql
PG_OWNER=""        # OS user that owns the data directories and runs postgres
PG_USER_CMD=()     # command prefix that runs a command as PG_OWNER (empty: us)

# pg_find_bin: prints the newest /usr/lib/postgresql/*/bin that holds a
# complete server (Debian's layout; versions sorted numerically so 10 > 9).
# SWEEP_PG_BIN overrides the search, for non-Debian layouts.
pg_find_bin() {
  if [[ -n ${SWEEP_PG_BIN:-} ]]; then
    [[ -x $SWEEP_PG_BIN/postgres && -x $SWEEP_PG_BIN/initdb && -x $SWEEP_PG_BIN/pg_ctl ]] \
      || die "SWEEP_PG_BIN=$SWEEP_PG_BIN does not contain postgres, initdb and pg_ctl"
    printf '%s\n' "$SWEEP_PG_BIN"
    return 0
  fi
  local d best=""
  while IFS= read -r d; do
    [[ -x $d/postgres && -x $d/initdb && -x $d/pg_ctl ]] && best=$d
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -V)
  [[ -n $best ]] && printf '%s\n' "$best"
}

# ensure_postgres: sets PG_BIN, installing Debian's 'postgresql' if no server
# binaries exist yet.
ensure_postgres() {
  [[ -n $PG_BIN ]] && return 0
  PG_BIN=$(pg_find_bin || true)
  if [[ -z $PG_BIN ]]; then
    log "no PostgreSQL server found in /usr/lib/postgresql/*/bin; installing it"
    apt_install postgresql
    PG_BIN=$(pg_find_bin || true)
    [[ -n $PG_BIN ]] || die "PostgreSQL was installed but no server binaries were found in /usr/lib/postgresql/*/bin"
  fi
  [[ -x $PG_BIN/psql ]] || die "$PG_BIN/psql is missing (install postgresql-client)"
}

# pg_major BINDIR: prints the server's major version, e.g. 15.
pg_major() {
  "$1/postgres" --version 2>/dev/null | sed -nE 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/p' | head -n 1
}

# pg_match_cluster DIR: an existing cluster can only be run by the major
# version that created it. After a PostgreSQL upgrade the newest bin dir is
# the wrong one, so switch PG_BIN to the cluster's version when installed.
pg_match_cluster() {
  local dir=$1 want have
  [[ -r $dir/PG_VERSION ]] || return 0
  want=$(<"$dir/PG_VERSION")
  have=$(pg_major "$PG_BIN")
  [[ -z $want || $want == "$have" ]] && return 0
  if [[ -z ${SWEEP_PG_BIN:-} && -x /usr/lib/postgresql/$want/bin/postgres ]]; then
    log "$dir was created by PostgreSQL $want; using /usr/lib/postgresql/$want/bin"
    PG_BIN=/usr/lib/postgresql/$want/bin
    return 0
  fi
  die "$dir was created by PostgreSQL $want, but $PG_BIN is PostgreSQL ${have:-?}. Install postgresql-$want, or delete $dir to start from an empty database."
}

# pg_setup_owner: decides which user runs the server. initdb and postgres
# refuse to run as root, so as root we use the 'postgres' system account
# (created if missing); otherwise the current user runs everything.
pg_setup_owner() {
  [[ -n $PG_OWNER ]] && return 0
  if ! is_root; then
    PG_OWNER=$(id -un)
    PG_USER_CMD=()
    return 0
  fi
  PG_OWNER=postgres
  if ! id -u postgres >/dev/null 2>&1; then
    log "creating system user 'postgres' (initdb/postgres refuse to run as root)"
    useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
      --shell /bin/sh postgres || die "could not create the 'postgres' system user"
  fi
  # A plain prefix (no quoting tricks) so that tests can reuse it verbatim
  # through SWEEP_TEST_PG_USER_CMD.
  if command -v runuser >/dev/null 2>&1; then
    PG_USER_CMD=(runuser -u postgres --)
  elif command -v sudo >/dev/null 2>&1; then
    PG_USER_CMD=(sudo -u postgres --)
  else
    die "running as root but neither runuser nor sudo exists to run PostgreSQL as user 'postgres'"
  fi
}

# pg_as_owner CMD...: runs CMD as the cluster owner. cd / first because the
# owner may not be allowed into our working directory (postgres warns then).
pg_as_owner() {
  ( cd / && "${PG_USER_CMD[@]}" "$@" )
}

# pg_prepare_dir DIR: creates DIR for the owner (mode 700, as PostgreSQL
# wants). Returns non-zero when the owner still cannot use it, which happens
# when a parent directory is not traversable for that user (e.g. /root).
pg_prepare_dir() {
  local dir=$1
  mkdir -p "$dir" || return 1
  if is_root && [[ ! -f $dir/PG_VERSION ]]; then
    chown "$PG_OWNER": "$dir" || return 1
  fi
  [[ -f $dir/PG_VERSION ]] || chmod 700 "$dir" || return 1
  pg_as_owner test -w "$dir" -a -x "$dir" 2>/dev/null
}

# pg_initdb DIR LOGFILE [INITDB-ARGS...]: creates a cluster with a trusted
# superuser 'sweep'. Uses the C.UTF-8 locale when the system has it, else C.
pg_initdb() {
  local dir=$1 logfile=$2; shift 2
  local locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale=C.UTF-8
  fi
  log "initdb $dir (locale $locale)"
  if ! pg_as_owner "$PG_BIN/initdb" -D "$dir" -A trust -U sweep -E UTF8 --locale="$locale" "$@" >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2 || true
    die "initdb failed (full output: $logfile)"
  fi
}

# pg_write_conf DIR PORT [SETTING-LINE...]: (re)writes DIR/sweep.conf and makes
# postgresql.conf include it. Settings live in the data directory (not on the
# pg_ctl command line) so that a plain 'pg_ctl -D DIR start' - e.g. from a
# fault-injection test - brings the cluster back with the same settings.
pg_write_conf() {
  local dir=$1 port=$2; shift 2
  {
    echo "# Written by ./sweep before every start; local edits are overwritten."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    # TCP only: the default socket dir (/var/run/postgresql) may not exist or
    # be writable for us, and nothing here needs a Unix socket.
    echo "unix_socket_directories = ''"
    if (( $# )); then printf '%s\n' "$@"; fi
  } >"$dir/sweep.conf"
  is_root && chown "$PG_OWNER": "$dir/sweep.conf"
  if ! grep -q "^include_if_exists = 'sweep.conf'" "$dir/postgresql.conf"; then
    printf "\n# Added by ./sweep\ninclude_if_exists = 'sweep.conf'\n" >>"$dir/postgresql.conf"
  fi
}

# pg_start DIR LOGFILE: starts the cluster and waits until it accepts
# connections. The server's output is appended to LOGFILE, a file that *we*
# open: the owner does not need write access to our log directory.
pg_start() {
  local dir=$1 logfile=$2
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -w -t 60 start >>"$logfile" 2>&1
}

# pg_stop DIR [MODE]: stops the cluster (fast shutdown by default).
pg_stop() {
  local dir=$1 mode=${2:-fast}
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -m "$mode" -w -t 60 stop >/dev/null 2>&1
}

# pg_running DIR: true when a server is running on this data directory.
pg_running() {
  [[ -f $1/PG_VERSION ]] || return 1
  pg_as_owner "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# pg_running_port DIR: prints the port of the server running on DIR (line 4
# of postmaster.pid).
pg_running_port() {
  sed -n 4p "$1/postmaster.pid" 2>/dev/null
}

# pg_psql PORT DB [PSQL-ARGS...]: non-interactive psql as superuser 'sweep'.
pg_psql() {
  local port=$1 db=$2; shift 2
  PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-5} \
    "$PG_BIN/psql" -X -w -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U sweep -d "$db" "$@"
}

# pg_accepts_sweep PORT: true when a server on 127.0.0.1:PORT lets user
# 'sweep' in without a password (i.e. it looks like one of our clusters).
pg_accepts_sweep() {
  [[ $(PGCONNECT_TIMEOUT=3 pg_psql "$1" postgres -tAc 'select 1' 2>/dev/null) == 1 ]]
}

# pg_ensure_db PORT DB: creates database DB unless it exists.
pg_ensure_db() {
  local port=$1 db=$2 exists
  exists=$(pg_psql "$port" postgres -tAc "select 1 from pg_database where datname = '$db'") \
    || die "cannot query PostgreSQL on 127.0.0.1:$port as user sweep"
  if [[ $exists != 1 ]]; then
    log "creating database '$db'"
    pg_psql "$port" postgres -c "create database \"$db\"" || die "could not create database '$db'"
  fi
}
