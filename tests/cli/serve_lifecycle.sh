#!/usr/bin/env bash
# The program from the outside: migrate twice, verify, bad configuration,
# /healthz, and SIGTERM draining the requests in flight before exiting 0.
# Usage: serve_lifecycle.sh PATH/TO/essor
set -euo pipefail
essor=$1
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
pid=
db="sqlite:$dir/essor.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/lib.sh"

[[ "$("$essor" migrate --database "$db")" =~ ^"migrations applied: "[1-9][0-9]*$ ]] || fail "first migrate"
[ "$("$essor" migrate --database "$db")" = "migrations applied: 0" ] || fail "second migrate must apply nothing"
"$essor" verify --database "$db" >/dev/null || fail "verify on a fresh database"

set +e
"$essor" serve --database "$db" --listen nonsense 2>"$dir/err"; code=$?
set -e
[ "$code" -eq 2 ] && grep -q "not HOST:PORT" "$dir/err" || fail "a bad --listen must exit 2 with a message (got $code)"
set +e
ESSOR_DATABASE_URL="mysql://x" "$essor" migrate 2>"$dir/err"; code=$?
set -e
[ "$code" -eq 2 ] && grep -q "unsupported database URL" "$dir/err" || fail "a bad ESSOR_DATABASE_URL must exit 2"
set +e
ESSOR_SQLITE_WAL_RESTART_FRAMES=10 timeout 20 "$essor" serve --database "$db" --listen 127.0.0.1:0 \
  >/dev/null 2>"$dir/err"; code=$?
set -e
[ "$code" -eq 2 ] && grep -q "sqlite-wal-restart-frames" "$dir/err" ||
  fail "a WAL restart threshold below 1024 frames must exit 2 with a message (got $code)"

ESSOR_LISTEN=127.0.0.1:0 "$essor" serve --database "$db" >"$dir/log" 2>&1 &
pid=$!
port=$(logged_port "$dir/log")
[ -n "$port" ] || fail "serve did not log its port: $(cat "$dir/log")"
[ "$(curl -s "http://127.0.0.1:$port/healthz")" = "ok" ] || fail "healthz"

# Several sign-ups (each an argon2id hash) in flight, then SIGTERM.
clients=()
for n in 1 2 3 4 5 6; do
  ( set +e; code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"email\":\"drain$n@test.example\",\"password\":\"correct horse battery\",\"display_name\":\"D\"}" \
      "http://127.0.0.1:$port/api/v1/auth/signup"); echo "$? $code" >"$dir/curl$n" ) &
  clients+=($!)
done
sleep 0.15
kill -TERM "$pid"
set +e
wait "$pid"; code=$?
set -e
pid=
for client in "${clients[@]}"; do wait "$client" || true; done
[ "$code" -eq 0 ] || fail "serve must exit 0 on SIGTERM, got $code"
answered=0
for n in 1 2 3 4 5 6; do
  read -r curl_exit http_code <"$dir/curl$n"
  if [ "$curl_exit" -eq 0 ]; then
    [ "$http_code" = "201" ] || fail "request $n answered $http_code during shutdown"
    answered=$((answered + 1))
  else
    # Refused at connect (7) is fine: it was never in flight. A reset or an
    # empty reply would mean a request was cut off.
    [ "$curl_exit" -eq 7 ] || fail "request $n was cut off (curl exit $curl_exit)"
  fi
done
[ "$answered" -ge 1 ] || fail "no request was in flight; the test proved nothing"
grep -q '"event":"stopped"' "$dir/log" || fail "no stopped event in the log"
"$essor" verify --database "$db" >/dev/null || fail "verify after shutdown"
echo "serve lifecycle: ok ($answered requests drained)"
