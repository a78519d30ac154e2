#!/usr/bin/env bash
# Pledges alone, for working on the write path (issue 13): starts the
# release build on an empty database (SQLite; or PostgreSQL with
# ESSOR_BENCH_PG=1, in a fresh schema of ESSOR_TEST_PG_URL), seeds one campaign and a crowd of
# 64 backers, runs bench/pledge.lua with wrk (64 connections) and prints
# wrk's rate and p99, the group commit's batches (from /metrics), the
# bytes and write() calls the process made per pledge, where the
# cores went (bench/cpu_share.py: Essor's threads, PostgreSQL, wrk) and,
# on PostgreSQL, its time per statement (bench/pg_statements.sh). Not a reference
# measure: bench/run.sh gives the side-by-side ratios of docs/performance.md.
# usage: bench/pledges.sh [SECONDS] [perf|wal|statements]   (perf: also records a profile
# into ./perf.data, ESSOR_PERF_ARGS: perf record's call-graph option, -g by default;
# wal (SQLite): also says which tables and indexes each
# group commit rewrote, bench/wal_pages.py; statements (SQLite): also the writer's time
# per pledge in each statement, bench/sqlite_statements.py; ESSOR_BENCH_CONNECTIONS: wrk's connections, 64 by default;
# ESSOR_BENCH_CROWD: how many backers, 64 by default (wrk's second thread starts 997 places
# further: pick a crowd where that is far from the first, e.g. 600, not 1000);
# ESSOR_BENCH_BINARY: another build of essor, to compare two side by side;
# ESSOR_BENCH_DESCRIPTION_KB: the campaign's description this long, one line by default)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
seconds=${1:-10}
essor=${ESSOR_BENCH_BINARY:-$PWD/build/release/essor}
[ -x "$essor" ] || { echo "build the release preset first" >&2; exit 1; }
work=$(mktemp -d /tmp/essor-pledges.XXXXXX)
db="sqlite:$work/pledges.db"
if [ "${ESSOR_BENCH_PG:-}" = 1 ]; then
  pg=${ESSOR_TEST_PG_URL:?set ESSOR_TEST_PG_URL (scripts/start-postgres prints it)}
  psql "$pg" -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS pledges CASCADE; CREATE SCHEMA pledges" >/dev/null
  db=$(schema_url "$pg" pledges)
fi
if [ "${2:-}" = statements ]; then export ESSOR_SQLITE_STATEMENT_TIMES=$work/statements.tsv; fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
ESSOR_RATE_LIMITS=off ESSOR_LOG_LEVEL=warn ESSOR_BALLOT_KEY=bench ESSOR_ADMIN_EMAILS=modo@bench.example \
  "$essor" serve --listen "127.0.0.1:$port" --database "$db" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 3000); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 0.01; done
api() { curl -sf -X "$1" "$base$2" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} ${4:+-d "$4"}; }
json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
signup() { api POST /api/v1/auth/signup "" "{\"email\":\"$1@bench.example\",\"password\":\"essor-bench-2026\",\"display_name\":\"$1\"}" | json "['token']"; }
admin=$(signup admin)
modo=$(signup modo)
ESSOR_BALLOT_KEY=bench "$essor" user verify --database "$db" modo@bench.example >/dev/null
crowd=""
for n in $(seq 1 "${ESSOR_BENCH_CROWD:-64}"); do crowd+=${crowd:+,}$(signup "backer$n"); done
org=$(api POST /api/v1/orgs "$admin" '{"name":"La Ressourcerie du Plateau","legal_form":"association"}' | json "['org']['id']")
ends=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
description=$(python3 -c "import sys; kb = int(sys.argv[1]); line = 'Un four partagé pour cuire ensemble le pain du quartier. '; print((line * (kb * 1024 // len(line.encode()) + 1))[:kb * 1024] if kb else 'Un four partagé.')" "${ESSOR_BENCH_DESCRIPTION_KB:-0}")
campaign=$(api POST /api/v1/campaigns "$admin" "{\"org_id\":\"$org\",\"title\":\"Un four à pain\",\"summary\":\"Cuire ensemble.\",\"description_md\":\"$description\",\"category\":\"food\",\"kind\":\"donation\",\"goal_cents\":100000000,\"ends_at\":\"$ends\",\"funding_model\":\"keep_it_all\",\"rewards\":[]}" | json "['campaign']['id']")
api POST "/api/v1/campaigns/$campaign/submit" "$admin" >/dev/null
api POST "/api/v1/campaigns/$campaign/approve" "$modo" >/dev/null
if [ "${2:-}" = perf ]; then
  perf record -F 999 ${ESSOR_PERF_ARGS:--g} -o perf.data -p "$pid" -- sleep "$seconds" >/dev/null 2>&1 &
  profiler=$!
fi
[ -n "${pg:-}" ] && bench/pg_statements.sh reset "$pg"
read -r wchar0 syscw0 < <(awk '/^(wchar|syscw)/ {printf "%s ", $2} END {print ""}' "/proc/$pid/io")
# Where the cores go meanwhile (the middle of the run, from /proc).
python3 bench/cpu_share.py --run "$seconds" "$pid" >"$work/cpu.txt" &
sharer=$!
ESSOR_BENCH_TOKENS=$crowd ESSOR_BENCH_CAMPAIGN=$campaign \
  wrk -t2 -c"${ESSOR_BENCH_CONNECTIONS:-64}" -d"${seconds}s" --latency -s bench/pledge.lua "$base" >"$work/wrk.txt"
read -r wchar1 syscw1 < <(awk '/^(wchar|syscw)/ {printf "%s ", $2} END {print ""}' "/proc/$pid/io")
[ -n "${profiler:-}" ] && wait "$profiler"
requests=$(grep -o '"requests": [0-9]*' "$work/wrk.txt" | grep -o '[0-9]*$')
wait "$sharer"
if [ "${2:-}" = wal ] && [ "${ESSOR_BENCH_PG:-}" != 1 ]; then
  # Copied while the server is stopped, so that the two copies agree.
  kill -STOP "$pid"
  cp "$work/pledges.db" "$work/copy.db"
  cp "$work/pledges.db-wal" "$work/copy.db-wal.frames"
  kill -CONT "$pid"
fi
grep -E '^Requests/sec|^ +99%|non_2xx' "$work/wrk.txt"
cat "$work/cpu.txt"
curl -s "$base/metrics" | awk '/^essor_store_write_batch_jobs_(sum|count)/ {v[$1]=$2} END {n = v["essor_store_write_batch_jobs_count"]; if (n > 0) printf "group commit: %d batches, %.1f pledges each\n", n, v["essor_store_write_batch_jobs_sum"]/n; else print "group commit: none (each pledge its own transaction)"}'
[ -f "$work/copy.db-wal.frames" ] && python3 bench/wal_pages.py "$work/copy.db" "$work/copy.db-wal.frames"
[ -n "${pg:-}" ] && bench/pg_statements.sh report "$pg" "$requests" pledge
# (SQLite: the WAL's writes; PostgreSQL writes in its own processes.)
if [ -z "${pg:-}" ]; then
  python3 -c "n=$requests; print(f'per pledge: {($wchar1-$wchar0)/n/1024:.1f} KiB and {($syscw1-$syscw0)/n:.1f} write calls (files and sockets)')"
fi
if [ "${2:-}" = statements ] && [ -z "${pg:-}" ]; then
  kill "$pid" && wait "$pid" || true  # the times are written as the store closes
  python3 bench/sqlite_statements.py "$work/statements.tsv" "$requests"
fi
