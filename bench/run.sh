#!/usr/bin/env bash
# Benchmarks of docs/performance.md, each measured side by side with its
# reference in the same run on this machine:
#   - campaign page and campaign list: Essor vs nginx serving the same bytes
#     as static files (wrk, 64 connections);
#   - pledges through the API (new Idempotency-Key each, durable, from a
#     crowd of 64 backers) vs pgbench's TPC-B on the same PostgreSQL
#     (-c 16 -j 2); on PostgreSQL with one instance, the same behind nginx,
#     then two behind nginx (two writers each, the default, then one each);
#   - scale: p50 of those pages on the generated 1M-pledge data set vs an
#     empty database, resident memory under load, start-up time.
# With ESSOR_BENCH_PROFILE=1 the SQLite pledge run is also recorded with
# perf, and its heaviest functions are printed after the report.
# usage: bench/run.sh [SECONDS]   (needs the release build, wrk, nginx,
# PostgreSQL: scripts/setup, cmake --build --preset release,
# scripts/start-postgres). Prints a Markdown report.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
seconds=${1:-10}
essor=$PWD/build/release/essor
[ -x "$essor" ] || { echo "build the release preset first" >&2; exit 1; }
pg=${ESSOR_TEST_PG_URL:-$(scripts/start-postgres)}
work=$(mktemp -d /tmp/essor-bench.XXXXXX)
. bench/serving.sh

# 23 more live campaigns, so that the list on the small database is a full
# first page (24 cards) as it is on the 1M-pledge data set: the scale rows
# then compare lists of the same length, and tell what a million pledges
# cost, not what 23 more cards cost to render.
seed_full_list() {
  local admin modo org cid ends n
  admin=$(api POST /api/v1/auth/login "" '{"email":"admin@bench.example","password":"essor-bench-2026"}' | json "['token']")
  modo=$(api POST /api/v1/auth/login "" '{"email":"modo@bench.example","password":"essor-bench-2026"}' | json "['token']")
  org=$(api POST /api/v1/orgs "$admin" '{"name":"Le Jardin des Possibles","legal_form":"association"}' | json "['org']['id']")
  ends=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
  for n in $(seq 1 23); do
    cid=$(api POST /api/v1/campaigns "$admin" "{\"org_id\":\"$org\",\"title\":\"Projet de quartier n° $n\",\"summary\":\"Faire ensemble.\",\"description_md\":\"Un projet **partagé**.\",\"category\":\"food\",\"kind\":\"donation\",\"goal_cents\":500000,\"ends_at\":\"$ends\",\"funding_model\":\"keep_it_all\",\"rewards\":[]}" | json "['campaign']['id']")
    api POST "/api/v1/campaigns/$cid/submit" "$admin" >/dev/null
    api POST "/api/v1/campaigns/$cid/approve" "$modo" >/dev/null
  done
}
seed_large() {
  backer=$(api POST /api/v1/auth/login "" '{"email":"user7@bench.example","password":"essor-bench-2026"}' | json "['token']")
  crowd=$backer
  for n in $(seq 8 71); do
    crowd+=,$(api POST /api/v1/auth/login "" "{\"email\":\"user$n@bench.example\",\"password\":\"essor-bench-2026\"}" | json "['token']")
  done
  campaign=$(api GET '/api/v1/campaigns?limit=1' | json "['items'][0]['id']")
}


# nginx serving the bytes Essor serves, as static files.
start_nginx() {
  mkdir -p "$work/www/campaigns"
  curl -sf "$base/campaigns/$campaign" -o "$work/www/campaign.html"
  curl -sf "$base/campaigns" -o "$work/www/campaigns.html"
  local port; port=$(free_port)
  run_nginx "$work/nginx" "  sendfile on;
  server {
    listen 127.0.0.1:$port;
    root $work/www;
    location = /page { default_type \"text/html; charset=utf-8\"; try_files /campaign.html =404; }
    location = /list { default_type \"text/html; charset=utf-8\"; try_files /campaigns.html =404; }
  }"
  nginx_pid=$started_pid
  nginx="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$nginx/page" >/dev/null && break; sleep 0.05; done
}
stop_nginx() { kill -QUIT "$nginx_pid"; wait "$nginx_pid" || true; }

rps() {  # URL [CONNECTIONS] [HEADER] → requests/s
  wrk -t2 -c"${2:-64}" -d"${seconds}s" ${3:+-H "$3"} "$1" | awk '/^Requests\/sec/ {print int($2)}'
}
p50() {  # URL → p50 latency in ms, at 8 connections
  wrk -t2 -c8 -d"${seconds}s" --latency "$1" | awk '/^ +50%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.2f\n", v}'
}
rss_mb() { awk '/VmHWM/ {printf "%d\n", $2/1024}' "/proc/$server_pid/status"; }

echo "# Essor benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${seconds} s per run"
echo
echo "| database | measure | Essor | reference | ratio |"
echo "|---|---|---|---|---|"

# serve again on DATABASE-URL with the page cache SETTING (on or off)
restart() { stop_server; page_cache=$1 serve "$2"; }

# The pages, as wrk asks for them (anonymous visitors without cookies):
# with the page cache (the default), then rendered every time
# (ESSOR_PAGE_CACHE=off) on a server restarted on the same database.
# Needs base, campaign, nginx; prints two rows per setting.
pages() {  # DATABASE-LABEL DATABASE-URL
  local setting label page page_ref list list_ref
  for setting in on off; do
    label=""
    if [ "$setting" = off ]; then label=" without the page cache"; restart off "$2"; fi
    page=$(rps "$base/campaigns/$campaign"); page_ref=$(rps "$nginx/page")
    list=$(rps "$base/campaigns"); list_ref=$(rps "$nginx/list")
    echo "| $1 | campaign page$label, req/s | $page | nginx static: $page_ref | $(ratio "$page" "$page_ref") |"
    echo "| $1 | campaign list$label, req/s | $list | nginx static: $list_ref | $(ratio "$list" "$list_ref") |"
    # A signed-in reader (wrk sends a session cookie): the page kept for
    # any signed-in reader with this reader's parts put in (one statement),
    # or without the page cache rendered whole for each request.
    page=$(rps "$base/campaigns/$campaign" 64 "Cookie: essor_session=$backer"); page_ref=$(rps "$nginx/page")
    list=$(rps "$base/campaigns" 64 "Cookie: essor_session=$backer"); list_ref=$(rps "$nginx/list")
    echo "| $1 | campaign page, signed-in reader$label, req/s | $page | nginx static: $page_ref | $(ratio "$page" "$page_ref") |"
    echo "| $1 | campaign list, signed-in reader$label, req/s | $list | nginx static: $list_ref | $(ratio "$list" "$list_ref") |"
  done
  # What a page costs the database, from /metrics (essor_db_statements_per_request).
  curl -s "$base/metrics" | DB_LABEL="$1" python3 -c '
import os, re, sys
text = sys.stdin.read()
for route in ("/campaigns/{id}", "/campaigns"):
    def value(name):
        m = re.search(name + r"\{route=\"" + re.escape(route) + r"\"\} ([0-9.e+]+)", text)
        return float(m.group(1)) if m else 0.0
    n = value("essor_db_statements_per_request_count")
    statements = value("essor_db_statements_per_request_sum") / n if n else 0
    reads = value("essor_db_read_transactions_per_request_sum") / n if n else 0
    if n:
        label = os.environ["DB_LABEL"]
        print(f"| {label} | {route}: statements per rendered request "
              f"(read transactions) | {statements:.1f} | – | ({reads:.2f}) |")
'

  restart on "$2"
}
p50s() {  # DATABASE-URL → sets p50_page p50_list p50_page_off p50_list_off (restarts the server)
  p50_page=$(p50 "$base/campaigns/$campaign"); p50_list=$(p50 "$base/campaigns")
  restart off "$1"
  p50_page_off=$(p50 "$base/campaigns/$campaign"); p50_list_off=$(p50 "$base/campaigns")
  restart on "$1"
}

# 1. SQLite, empty database.
serve "sqlite:$work/small.db"
seed_small
start_nginx
pages SQLite "sqlite:$work/small.db"
stop_nginx
seed_full_list
p50s "sqlite:$work/small.db"
small_page_p50=$p50_page small_list_p50=$p50_list small_page_p50_off=$p50_page_off small_list_p50_off=$p50_list_off
if [ "${ESSOR_BENCH_PROFILE:-0}" = 1 ]; then
  perf record -F 499 -g -o "$work/perf.data" -p "$server_pid" -- sleep "$seconds" >/dev/null 2>&1 &
  profiler=$!
fi
read -r sqlite_pledges sqlite_p99 < <(pledge_run 64)
sqlite_cpu=$(cat "$work/cpu.txt")
if [ -n "${profiler:-}" ]; then
  wait "$profiler" || true
  perf report -i "$work/perf.data" --stdio --no-children --sort dso,sym --percent-limit 1.5 -g none \
    2>/dev/null | grep -E '^ +[0-9]' >"$work/profile.txt" || true
fi
sqlite_rss=$(rss_mb)
stop_server


# 2. PostgreSQL, empty schema; pgbench on the same server. Each instance
# has 16 connections, as pgbench has 16 clients.
psql "$pg" -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench" >/dev/null
pg_bench_url=$(schema_url "$pg" bench)
db_connections=16 serve "$pg_bench_url"
seed_small
start_nginx
pages PostgreSQL "$pg_bench_url"
stop_nginx
# Where the pledges wait on PostgreSQL: its sessions' wait events, sampled
# every 20 ms during the run (CPU: running, not waiting; a lock wait also
# names the statement that waits). One statement per sample, sent from
# here: a loop inside one server-side statement
# would hold its snapshot for the whole run, so that no row version the
# pledges leave behind could be pruned (their hot rows' version chains
# and the sealer's scans grew through the run: until 2026-12-05 the time
# per statement below showed the sealer's read 25 times and a pledge's
# insert 1.4 times what they cost without the sampler, the rate 1-2 %
# lower). In the background: sets sampler; the result in FILE.
sample_waits() {  # FILE
  {
    echo "CREATE TEMP TABLE w (e text);"
    for _ in $(seq 1 $((seconds * 45))); do
      echo "INSERT INTO w SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, 'running') || CASE WHEN wait_event_type = 'Lock' THEN ' (' || left(query, 48) || '…)' ELSE '' END FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state = 'active';"
      sleep 0.02
    done
    echo "SELECT e || ' ' || round(100.0 * count(*) / sum(count(*)) OVER (), 1) || ' %' FROM w GROUP BY e ORDER BY count(*) DESC LIMIT 6;"
  } | psql "$pg" -Atq >"$1" 2>&1 &
  sampler=$!
}
sample_waits "$work/waits.txt"
bench/pg_statements.sh reset "$pg"
read -r pg_pledges pg_p99 < <(pledge_run 64)
pg_cpu=$(cat "$work/cpu.txt")
bench/pg_statements.sh report "$pg" "$(grep -o '"requests": [0-9]*' "$work/wrk.txt" | grep -o '[0-9]*$')" pledge >"$work/pg_statements.txt"
wait "$sampler" || true
pg_waits=$(paste -sd ';' "$work/waits.txt" | sed 's/;/, /g')
# The same instance behind nginx, to compare two instances with one on
# equal terms (nginx's own share of the cores, its hop).
start_proxy "$base"
read -r pg1n_pledges pg1n_p99 < <(pledge_run 64 "$proxy" "$server_pid")
kill -QUIT "$proxy_pid"; wait "$proxy_pid" || true
# A second instance on the same database, both behind nginx.
first_base=$base first_pid=$server_pid
db_connections=16 serve "$pg_bench_url"
second_pid=$server_pid
start_proxy "$first_base" "$base"
sample_waits "$work/waits2.txt"
read -r pg2_pledges pg2_p99 < <(pledge_run 64 "$proxy" "$first_pid $second_pid")
pg2_cpu=$(cat "$work/cpu.txt")
wait "$sampler" || true
pg2_waits=$(paste -sd ';' "$work/waits2.txt" | sed 's/;/, /g')
kill -QUIT "$proxy_pid"; wait "$proxy_pid" || true
stop_server
server_pid=$first_pid; stop_server
# Two instances again, each with one writer: as many writers on the
# database as one instance has (docs/deploy.md advises so).
writers=1 db_connections=16 serve "$pg_bench_url"
first_base=$base first_pid=$server_pid
writers=1 db_connections=16 serve "$pg_bench_url"
second_pid=$server_pid
start_proxy "$first_base" "$base"
read -r pg2w1_pledges pg2w1_p99 < <(pledge_run 64 "$proxy" "$first_pid $second_pid")
pg2w1_cpu=$(cat "$work/cpu.txt")
kill -QUIT "$proxy_pid"; wait "$proxy_pid" || true
stop_server
server_pid=$first_pid base=$first_base
unsealed=$(psql "$pg_bench_url" -Atc "SELECT COUNT(*) FROM ledger_transfers WHERE seq IS NULL")
sealed=$(psql "$pg_bench_url" -Atc "SELECT COUNT(*) FROM ledger_transfers WHERE seq IS NOT NULL")
stop_server
pg_verify=$(ESSOR_BALLOT_KEY=bench "$essor" verify --database "$pg_bench_url" | head -1)
pgbench -i -q -s 16 "$pg" >/dev/null 2>&1
bench/pg_statements.sh reset "$pg"
pgbench -c 16 -j 2 -T "$seconds" "$pg" >"$work/pgbench.txt" 2>/dev/null
tps=$(awk '/^tps/ {print int($3)}' "$work/pgbench.txt")
bench/pg_statements.sh report "$pg" "$(awk '/actually processed/ {print $NF}' "$work/pgbench.txt" | cut -d/ -f1)" "TPC-B transaction" >"$work/tpcb_statements.txt"
psql "$pg" -qc "DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers; DROP SCHEMA bench CASCADE" >/dev/null 2>&1
echo "| SQLite | pledges/s (64 connections), p99 $sqlite_p99 ms | $sqlite_pledges | pgbench TPC-B: $tps tps | $(ratio "$sqlite_pledges" "$tps") |"
echo "| PostgreSQL | pledges/s (64 connections), p99 $pg_p99 ms | $pg_pledges | pgbench TPC-B: $tps tps | $(ratio "$pg_pledges" "$tps") |"
echo "| PostgreSQL, two instances behind nginx | pledges/s (64 connections), p99 $pg2_p99 ms | $pg2_pledges | pgbench TPC-B: $tps tps | $(ratio "$pg2_pledges" "$tps") |"
echo "| PostgreSQL | two instances vs one, pledges/s | $pg2_pledges | one instance: $pg_pledges | $(ratio "$pg2_pledges" "$pg_pledges") |"
echo "| PostgreSQL | two instances vs one, both behind nginx, pledges/s | $pg2_pledges | one instance behind nginx: $pg1n_pledges (p99 $pg1n_p99 ms) | $(ratio "$pg2_pledges" "$pg1n_pledges") |"
echo "| PostgreSQL, two instances behind nginx, one writer each | pledges/s (64 connections), p99 $pg2w1_p99 ms | $pg2w1_pledges | pgbench TPC-B: $tps tps | $(ratio "$pg2w1_pledges" "$tps") |"
echo "| PostgreSQL | two instances (one writer each) vs one, both behind nginx, pledges/s | $pg2w1_pledges | one instance behind nginx: $pg1n_pledges | $(ratio "$pg2w1_pledges" "$pg1n_pledges") |"

# 3. Scale: the generated data set on SQLite.
"$essor" generate --database "sqlite:$work/large.db" >"$work/generate.log"
generate_s=$(grep -o 'committed ([0-9.]* s)' "$work/generate.log" | grep -o '[0-9.]*')
start_ns=$(date +%s%N)
serve "sqlite:$work/large.db"
startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
seed_large
p50s "sqlite:$work/large.db"
large_page_p50=$p50_page large_list_p50=$p50_list large_page_p50_off=$p50_page_off large_list_p50_off=$p50_list_off
read -r large_pledges large_p99 < <(pledge_run 64)
large_rss=$(rss_mb)
stop_server
echo "| SQLite, 1M pledges | campaign page p50, ms | $large_page_p50 | empty database: $small_page_p50 | $(ratio "$large_page_p50" "$small_page_p50") |"
echo "| SQLite, 1M pledges | campaign list p50, ms | $large_list_p50 | empty database: $small_list_p50 | $(ratio "$large_list_p50" "$small_list_p50") |"
echo "| SQLite, 1M pledges | campaign page p50 without the page cache, ms | $large_page_p50_off | empty database: $small_page_p50_off | $(ratio "$large_page_p50_off" "$small_page_p50_off") |"
echo "| SQLite, 1M pledges | campaign list p50 without the page cache, ms | $large_list_p50_off | empty database: $small_list_p50_off | $(ratio "$large_list_p50_off" "$small_list_p50_off") |"
echo "| SQLite, 1M pledges | pledges/s, p99 $large_p99 ms | $large_pledges | empty database: $sqlite_pledges | $(ratio "$large_pledges" "$sqlite_pledges") |"
echo
echo "- Resident memory (peak) after the pledge runs: ${sqlite_rss} MB (empty SQLite), ${large_rss} MB (1M pledges)."
echo "- Start-up on the 1M-pledge database, process start to first /healthz answer: ${startup_ms} ms."
echo "- PostgreSQL sessions during the pledge run (wait events sampled every 20 ms): ${pg_waits}. With two instances: ${pg2_waits}."
echo "- Where the cores went (bench/cpu_share.py, the middle three fifths of each pledge run): SQLite: ${sqlite_cpu}. PostgreSQL: ${pg_cpu}. PostgreSQL, two instances: ${pg2_cpu}. Two instances, one writer each: ${pg2w1_cpu}."
echo "- PostgreSQL ledger after both runs, while the instances still served: ${sealed} transfers sealed, ${unsealed} waiting; after they stopped, essor verify: ${pg_verify}."
echo "- Data set (100k users, 10k organisations, 20k campaigns, 1M pledges and transfers): ${generate_s} s."
for kind in pg_statements tpcb_statements; do
  [ -s "$work/$kind.txt" ] || continue
  echo
  if [ "$kind" = pg_statements ]; then
    echo "PostgreSQL's execution time per statement (bench/pg_statements.sh), one instance's pledge run:"
  else
    echo "The same for pgbench's TPC-B run:"
  fi
  echo
  if grep -q '^|' "$work/$kind.txt"; then
    echo "| statement | calls per unit | µs per unit |"
    echo "|---|---|---|"
  fi
  cat "$work/$kind.txt"
done
if [ -s "$work/profile.txt" ]; then
  echo
  echo "SQLite pledge run, perf (share of samples, whole process):"
  echo
  echo '```'
  cat "$work/profile.txt"
  echo '```'
fi
