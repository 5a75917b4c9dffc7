# shellcheck shell=bash
# The web app as the benchmarks start it: on a database of the throwaway
# cluster, with a throwaway administrator, waited for until /health answers;
# and an API token for that administrator, obtained as a person obtains one
# (the sign-in form, then POST /api/v1/tokens with the session cookie).
#
# What it expects (cmd_bench provides it): common.sh sourced (log, die,
# pick_free_port, http_status, pid_alive, stop_processes), bench.sh's
# bench_track_pid, curl and jq, TEST_PG_PORT, WEB_DLL, WEB_DIR and LOG_DIR.

BENCH_WEB_URL=""
BENCH_WEB_PID=""

# bench_web_password: a fresh password that meets the app's password rules.
bench_web_password() { printf 'Bench-%s-Aa1!' "$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"; }

# bench_web_start NAME DB EMAIL PASSWORD: starts the web app on database DB
# with EMAIL / PASSWORD as its first administrator (created at start-up when
# DB has no account yet); sets BENCH_WEB_URL and BENCH_WEB_PID once /health
# answers, and dies if it never does. Its log: $LOG_DIR/bench-NAME-web.log.
bench_web_start() {
  local name=$1 db=$2 email=$3 password=$4 port i
  local log=$LOG_DIR/bench-$name-web.log
  port=$(pick_free_port 57100 57999) || die "bench $name: no free port"
  BENCH_WEB_URL=http://127.0.0.1:$port
  (cd "$WEB_DIR" && ConnectionStrings__Sweep="Host=127.0.0.1;Port=$TEST_PG_PORT;Database=$db;Username=sweep" \
    SWEEP_ADMIN_EMAIL=$email SWEEP_ADMIN_PASSWORD=$password ASPNETCORE_ENVIRONMENT=Production \
    exec dotnet "$WEB_DLL" --urls "$BENCH_WEB_URL" >"$log" 2>&1) &
  BENCH_WEB_PID=$!
  bench_track_pid "$BENCH_WEB_PID"
  for ((i = 0; i < 240; i++)); do
    [[ $(http_status "$port" /health) == 200 ]] && return 0
    pid_alive "$BENCH_WEB_PID" || die "bench $name: the web app exited (log: $log)"
    sleep 0.5
  done
  die "bench $name: the web app never answered /health (log: $log)"
}

bench_web_stop() {
  [[ -n $BENCH_WEB_PID ]] && stop_processes 30 "$BENCH_WEB_PID"
  BENCH_WEB_PID=""
}

# bench_web_token NAME EMAIL PASSWORD SCOPE: prints a new token (scope read or
# read-write) of that account. Signs in through /account/login with the
# form's antiforgery field and cookie, then creates the token with the
# session cookie (and X-Sweep-Request, which a cookie-borne API write needs).
# Dies with the step that failed.
bench_web_token() {
  local name=$1 email=$2 password=$3 scope=$4 jar page code token
  jar=$(mktemp -d)
  page=$(curl -s -c "$jar/cookies" "$BENCH_WEB_URL/account/login") || page=""
  code=$(grep -o '<input[^>]*name="__RequestVerificationToken"[^>]*>' <<<"$page" | sed -n 's/.*value="\([^"]*\)".*/\1/p' | head -n 1)
  [[ -n $code ]] || { rm -rf "$jar"; die "bench $name: the sign-in page has no antiforgery field"; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar/cookies" -c "$jar/cookies" \
    --data-urlencode _handler=login --data-urlencode "__RequestVerificationToken=$code" \
    --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$password" \
    "$BENCH_WEB_URL/account/login") || code=000
  [[ $code == 302 ]] || { rm -rf "$jar"; die "bench $name: signing in as $email answered $code, not 302"; }
  token=$(curl -s -b "$jar/cookies" -H 'X-Sweep-Request: 1' -H 'Content-Type: application/json' \
    --data-binary "{ \"name\": \"bench $name\", \"scope\": \"$scope\" }" -w '\n%{http_code}' "$BENCH_WEB_URL/api/v1/tokens") || token=""
  rm -rf "$jar"
  [[ ${token##*$'\n'} == 201 ]] || die "bench $name: POST /api/v1/tokens answered ${token##*$'\n'}, not 201: ${token%$'\n'*}"
  token=$(jq -er .token <<<"${token%$'\n'*}") || die "bench $name: POST /api/v1/tokens answered without a token"
  printf '%s\n' "$token"
}
