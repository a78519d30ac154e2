#!/usr/bin/env bash
# What a set-based pledge write would cost PostgreSQL (issue 13), before
# writing it: pgbench runs the statements of a pledge's write (its key
# claimed, its campaign read with the money lock, its row with the totals
# trigger and foreign keys, its transfer, its key answered, its seal)
# for a batch of BATCH pledges with one statement per table, and for one
# pledge per transaction the same way, and prints PostgreSQL's CPU per
# pledge for each (bench/cpu_share.py). Not Essor's code: an upper bound
# for a rewrite (the batch goes through a temporary table, which costs the
# one-pledge case most). Then the write as Essor's group commit does it
# since 1130e41 (each pledge in a savepoint with its key's claim, its
# campaign's read and, for "each", its row, transfer and answer; for
# "held", the batch's rows and transfers as one statement each, the
# answers still one a pledge), BATCH pledges a transaction. Runs in the
# schema that `ESSOR_BENCH_PG=1 bench/pledges.sh` leaves behind (its
# campaign and 64 backers). usage: bench/pg_setbased.sh [SECONDS] [BATCH]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
seconds=${1:-10}
batch=${2:-28}
pg=${ESSOR_TEST_PG_URL:?set ESSOR_TEST_PG_URL (scripts/start-postgres prints it)}
url=$(schema_url "$pg" pledges)
campaign=$(psql "$url" -Atc "SELECT campaign_id FROM pledges LIMIT 1" 2>/dev/null || true)
[[ "$campaign" =~ ^[0-9a-z]+$ ]] || { echo "run ESSOR_BENCH_PG=1 bench/pledges.sh first" >&2; exit 1; }
work=$(mktemp -d /tmp/essor-setbased.XXXXXX)
trap 'rm -rf "$work"' EXIT
psql "$url" -qX >/dev/null <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS set_backers;
CREATE TABLE set_backers AS SELECT row_number() OVER () AS n, user_id AS id FROM (SELECT DISTINCT user_id FROM pledges) x;
CREATE UNIQUE INDEX ON set_backers (n);
DROP SEQUENCE IF EXISTS set_seq;
CREATE SEQUENCE set_seq START 100000000;
-- After the seals of an earlier run on this schema, which stay.
SELECT setval('set_seq', GREATEST(100000000, (SELECT max(seq) FROM ledger_transfers)));
SQL
backers=$(psql "$url" -Atc "SELECT count(*) FROM set_backers")
script() {  # ROWS → a pgbench script writing ROWS pledges in one transaction
  # chr(58) is ':', which pgbench would otherwise read as a variable.
  cat <<SQL
\set u random(1, $backers)
BEGIN;
CREATE TEMP TABLE IF NOT EXISTS b (g int, uid text, k text, pid text) ON COMMIT DELETE ROWS;
INSERT INTO b SELECT g, u.id, md5(random()::text), md5(random()::text) FROM generate_series(1, $1) g JOIN set_backers u ON u.n = 1 + (g + :u) % $backers;
INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at) SELECT uid, k, 'h', 0, '', 1 FROM b ON CONFLICT DO NOTHING RETURNING user_id;
SELECT c.id, c.status, o.id, o.iban FROM campaigns c JOIN orgs o ON o.id = c.org_id WHERE c.id = '$campaign' FOR KEY SHARE OF c;
INSERT INTO pledges (id, campaign_id, user_id, amount_cents, status, payment_method, anonymous, reference, created_at, updated_at) SELECT pid, '$campaign', uid, 500, 'confirmed', 'sandbox_card', 0, 'ESSOR-' || pid, 1, 1 FROM b;
INSERT INTO ledger_transfers (id, debit_account, credit_account, amount_cents, kind, pledge_id, campaign_id, created_at) SELECT 't' || pid, 'external' || chr(58) || 'sandbox_card', 'campaign' || chr(58) || '$campaign', 500, 'pledge', pid, '$campaign', 1 FROM b;
UPDATE idempotency_keys i SET status = 201, response = 'pledge ' || b.pid || ' amount_cents 500 status confirmed payment_method sandbox_card reference ESSOR-' || b.pid FROM unnest(ARRAY(SELECT uid FROM b), ARRAY(SELECT k FROM b), ARRAY(SELECT pid FROM b)) AS b(uid, k, pid) WHERE i.user_id = b.uid AND i.key = b.k;
UPDATE ledger_transfers SET seq = nextval('set_seq'), prev_hash = md5(entry::text), hash = md5(id) WHERE id = ANY (ARRAY(SELECT 't' || pid FROM b));
COMMIT;
SQL
}
script "$batch" >"$work/batch.sql"
script 1 >"$work/one.sql"
# measure KIND PLEDGES LABEL CLIENTS: runs $work/KIND.sql (PLEDGES pledges a
# transaction) with pgbench and prints a table row: LABEL, the clients,
# pledges/s, PostgreSQL's cores and its CPU per pledge.
measure() {
  local kind=$1 rows=$2 label=$3 clients=$4 sharer tps cores
  python3 bench/cpu_share.py --run "$seconds" >"$work/cpu.txt" &
  sharer=$!
  pgbench -n -M prepared -c "$clients" -j "$clients" -T "$seconds" -f "$work/$kind.sql" "$url" >"$work/pgbench.txt" 2>&1 || true
  wait "$sharer"
  tps=$(awk '/^tps/ {print $3}' "$work/pgbench.txt")
  cores=$(grep -o 'postgres [0-9.]*' "$work/cpu.txt" | awk '{print $2}')
  python3 -c "r = ${tps:-0} * $rows; c = ${cores:-0}; print(f'| $label | $clients | {r:.0f} | {c} | ' + (f'{c / r * 1e6:.0f} µs' if r else '–') + ' |')"
}
echo "| pledges per transaction | clients | pledges/s | PostgreSQL, cores | PostgreSQL's CPU per pledge |"
echo "|---|---|---|---|---|"
for clients in 1 2; do
  measure batch "$batch" "$batch" "$clients"
  measure one 1 1 "$clients"
done
# Each pledge in its savepoint (as the group commit runs a job), its rows
# either its own statements (each) or held for the batch (held).
savepoints() {  # each|held → a pgbench script of $batch pledges
  local i ks="" us="" who
  echo '\set u random(1, '"$backers"')'
  for i in $(seq 1 "$batch"); do echo "\\set k$i random(1, 1000000000000000)"; done
  echo "BEGIN;"
  for i in $(seq 1 "$batch"); do
    who="(SELECT id FROM set_backers WHERE n = 1 + (:u + $i) % $backers)"
    echo "SAVEPOINT job;"
    echo "INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at) VALUES ($who, 'k' || :k$i, 'h', 0, '', 1) ON CONFLICT DO NOTHING;"
    echo "SELECT c.id, c.status, o.id, o.iban FROM campaigns c JOIN orgs o ON o.id = c.org_id WHERE c.id = '$campaign' FOR KEY SHARE OF c;"
    if [ "$1" = each ]; then
      echo "INSERT INTO pledges (id, campaign_id, user_id, amount_cents, status, payment_method, anonymous, reference, created_at, updated_at) VALUES ('p' || :k$i, '$campaign', $who, 500, 'confirmed', 'sandbox_card', 0, 'ESSOR-' || :k$i, 1, 1);"
      echo "INSERT INTO ledger_transfers (id, debit_account, credit_account, amount_cents, kind, pledge_id, campaign_id, created_at) VALUES ('t' || :k$i, 'external' || chr(58) || 'sandbox_card', 'campaign' || chr(58) || '$campaign', 500, 'pledge', 'p' || :k$i, '$campaign', 1);"
    fi
    echo "UPDATE idempotency_keys SET status = 201, response = 'pledge p' || :k$i WHERE user_id = $who AND key = 'k' || :k$i;"
    echo "RELEASE SAVEPOINT job;"
    ks+="${ks:+,}:k$i"
    us+="${us:+,}(1 + (:u + $i) % $backers)"
  done
  if [ "$1" = held ]; then
    local rows="(SELECT 'p' || k AS pid, (SELECT id FROM set_backers WHERE n = un) AS uid, o FROM unnest(ARRAY[$ks]::bigint[], ARRAY[$us]::bigint[]) WITH ORDINALITY AS x(k, un, o))"
    echo "INSERT INTO pledges (id, campaign_id, user_id, amount_cents, status, payment_method, anonymous, reference, created_at, updated_at) SELECT pid, '$campaign', uid, 500, 'confirmed', 'sandbox_card', 0, 'ESSOR-' || pid, 1, 1 FROM $rows r ORDER BY o;"
    echo "INSERT INTO ledger_transfers (id, debit_account, credit_account, amount_cents, kind, pledge_id, campaign_id, created_at) SELECT 't' || pid, 'external' || chr(58) || 'sandbox_card', 'campaign' || chr(58) || '$campaign', 500, 'pledge', pid, '$campaign', 1 FROM $rows r ORDER BY o;"
  fi
  echo "COMMIT;"
}
savepoints each >"$work/each.sql"
savepoints held >"$work/held.sql"
echo
echo "| $batch pledges in savepoints, rows | clients | pledges/s | PostgreSQL, cores | PostgreSQL's CPU per pledge |"
echo "|---|---|---|---|---|"
for clients in 1 2; do
  for kind in each held; do measure "$kind" "$batch" "$kind" "$clients"; done
done
