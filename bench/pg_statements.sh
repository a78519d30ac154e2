#!/usr/bin/env bash
# PostgreSQL's own time per statement during a run, from pg_stat_statements
# (issue 13: which statements a pledge's PostgreSQL CPU goes to, and the
# same for pgbench's TPC-B transaction beside it). Works when the server
# preloads the module and the database has the extension (docs/deploy.md,
# "Watching a busy server"); otherwise says so in one line and does nothing.
# usage: bench/pg_statements.sh reset URL
#        bench/pg_statements.sh report URL COUNT WHAT
#   COUNT: how many pledges (or transactions) the run made since the reset;
#   WHAT: their name in the report ("pledge", "TPC-B transaction").
# The report: per statement (nested ones, a trigger's or a foreign key's,
# marked "in"), its calls and PostgreSQL's execution time per COUNT, then
# the total of the top-level ones. Execution time only: parsing, binding
# and the commit's flush are not in it.
set -euo pipefail
command=${1:?reset or report}
url=${2:?a postgresql:// URL}
# Fails when the extension is missing or the module not preloaded.
if ! psql "$url" -Atqc "SELECT 1 FROM pg_stat_statements LIMIT 1" >/dev/null 2>&1; then
  [ "$command" = report ] && echo "per statement: pg_stat_statements not enabled on this server (docs/deploy.md)"
  exit 0
fi
case "$command" in
  reset)
    psql "$url" -Atqc "SELECT pg_stat_statements_reset()" >/dev/null 2>&1 ||
      echo "pg_stat_statements: no right to reset it (GRANT EXECUTE ON FUNCTION pg_stat_statements_reset TO the bench's role)" >&2
    ;;
  report)
    count=${3:-}
    what=${4:-pledge}
    # No count (the run failed): nothing to divide by, and nothing to stop.
    [[ "$count" =~ ^[1-9][0-9]*$ ]] || exit 0
    psql "$url" -Atq <<SQL
WITH s AS (
  SELECT toplevel, sum(calls) AS calls, sum(total_exec_time) * 1000 / $count AS us,
         left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS q
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND query NOT LIKE '%pg_stat_%' AND query NOT LIKE '%pg_sleep%'  -- the bench's own sampling
  GROUP BY toplevel, q
), listed AS (
  SELECT 0 AS part, us, '| ' || CASE WHEN toplevel THEN '' ELSE 'in: ' END || replace(q, '|', '/') ||
         ' | ' || round(calls::numeric / $count, 2) || ' | ' || round(us::numeric, 1) || ' |' AS line
  FROM s WHERE us >= 1 ORDER BY us DESC LIMIT 14
)
SELECT line FROM (
  SELECT part, us, line FROM listed
  UNION ALL
  SELECT 1, 0, '| all top-level statements | | ' || round(sum(us)::numeric, 1) || ' µs per $what |'
  FROM s WHERE toplevel
) lines ORDER BY part, us DESC;
SQL
    ;;
  *) echo "usage: $0 reset|report URL [COUNT WHAT]" >&2; exit 2 ;;
esac
