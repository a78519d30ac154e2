#!/usr/bin/env bash
# Two PostgreSQL instances against one, alternated (issue 13): ROUNDS
# rounds, each of one instance behind nginx (two writers, the default),
# then two behind nginx with one writer each, first with their default io
# threads (one per core each), then with ESSOR_IO_THREADS=1 each (as many
# io threads on the machine as one instance has). Each instance has 16
# connections, as in bench/run.sh; all run on one schema that grows from
# round to round, which alternating spreads over the three. Prints each
# run's pledges/s, p99 and where the cores went, then each setting's mean.
# usage: ESSOR_TEST_PG_URL=… bench/instances.sh [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
seconds=${1:-10}
rounds=${2:-3}
essor=$PWD/build/release/essor
[ -x "$essor" ] || { echo "build the release preset first" >&2; exit 1; }
pg=${ESSOR_TEST_PG_URL:?set ESSOR_TEST_PG_URL (scripts/start-postgres prints it)}
work=$(mktemp -d /tmp/essor-instances.XXXXXX)
. bench/serving.sh

psql "$pg" -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS instances CASCADE; CREATE SCHEMA instances" >/dev/null
url=$(schema_url "$pg" instances)
db_connections=16 serve "$url"
seed_small
stop_server

declare -A total
measure() {  # LABEL IO-THREADS INSTANCES WRITERS-EACH
  local bases=() ids=() n
  for n in $(seq 1 "$3"); do
    io_threads=$2 writers=$4 db_connections=16 serve "$url"
    bases+=("$base") ids+=("$server_pid")
  done
  start_proxy "${bases[@]}"
  read -r rate p99 < <(pledge_run 64 "$proxy" "${ids[*]}")
  echo "| $1 | $rate | $p99 | $(cat "$work/cpu.txt") |"
  total[$1]=$(( ${total[$1]:-0} + rate ))
  kill -QUIT "$proxy_pid"; wait "$proxy_pid" || true
  for server_pid in "${ids[@]}"; do stop_server; done
}

echo "| setting | pledges/s | p99, ms | cores |"
echo "|---|---|---|---|"
for _ in $(seq 1 "$rounds"); do
  measure "one instance behind nginx" 0 1 2
  measure "two instances, one writer each" 0 2 1
  measure "two instances, one writer and one io thread each" 1 2 1
done
echo
one=${total["one instance behind nginx"]}
for setting in "two instances, one writer each" "two instances, one writer and one io thread each"; do
  echo "- $setting: mean $(( ${total[$setting]} / rounds )) pledges/s against one instance's $(( one / rounds )): $(ratio "${total[$setting]}" "$one")×"
done
psql "$pg" -qc "SET client_min_messages = warning; DROP SCHEMA instances CASCADE" >/dev/null
