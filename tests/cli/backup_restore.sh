#!/usr/bin/env bash
# The backups of docs/deploy.md, restored and checked: SQLite's online
# backup taken while `essor serve` runs, and pg_dump/pg_restore of a
# PostgreSQL schema (when ESSOR_TEST_PG_URL is set). Each restored copy
# passes `essor verify` and serves the same ledger head.
# Usage: backup_restore.sh PATH/TO/essor
set -euo pipefail
essor=$(realpath "$1")
dir=$(mktemp -d)
pid=
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$(realpath "$0")")/lib.sh"
cd "$dir"

serve() {  # serve DATABASE_URL: starts essor, sets pid and port
  "$essor" serve --database "$1" --listen 127.0.0.1:0 >"$dir/log" 2>&1 &
  pid=$!
  port=$(logged_port "$dir/log")
  [ -n "$port" ] || fail "serve did not start: $(cat "$dir/log")"
}
head_of() { curl -sf "http://127.0.0.1:$port/api/v1/ledger/head"; }
stop() { kill "$pid"; wait "$pid" || true; pid=; }

# SQLite: demo data, an online backup while serving, a restore elsewhere.
"$essor" demo --database "sqlite:$dir/live.db" >/dev/null 2>&1 || fail "demo"
serve "sqlite:$dir/live.db"
original=$(head_of)
# Anyone can check the public chain with the script of docs/ (ledger.md).
python3 "$(dirname "$0")/../../docs/verify_ledger.py" "http://127.0.0.1:$port" >/dev/null ||
  fail "docs/verify_ledger.py on the demo's public ledger"
sqlite3 "$dir/live.db" ".backup '$dir/backup.db'" || fail "sqlite3 .backup"
stop
mkdir "$dir/restored" && cp "$dir/backup.db" "$dir/restored/essor.db"
"$essor" verify --database "sqlite:$dir/restored/essor.db" >/dev/null || fail "verify of the SQLite restore"
serve "sqlite:$dir/restored/essor.db"
[ "$(head_of)" = "$original" ] || fail "the restored SQLite copy has another ledger head"
stop
echo "sqlite: backup restored, verified, same head $original"

# PostgreSQL: pg_dump of a schema, restored into another.
if [ -z "${ESSOR_TEST_PG_URL:-}" ]; then
  echo "postgresql: skipped (ESSOR_TEST_PG_URL is not set)"
  exit 0
fi
base=$ESSOR_TEST_PG_URL
psql "$base" -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS backup_src CASCADE; DROP SCHEMA IF EXISTS backup_dst CASCADE; CREATE SCHEMA backup_src" >/dev/null
sep='?'; [[ "$base" == *\?* ]] && sep='&'
src="${base}${sep}options=-csearch_path%3Dbackup_src"
dst="${base}${sep}options=-csearch_path%3Dbackup_dst"
"$essor" demo --database "$src" >/dev/null 2>&1 || fail "demo on PostgreSQL"
serve "$src"
original=$(head_of)
pg_dump --format=custom --schema=backup_src --file="$dir/essor.dump" "$base" || fail "pg_dump"
stop
# Restore under another schema name: the dump's objects are renamed by
# restoring into a fresh schema of the dump's name, then renaming it.
psql "$base" -qc "ALTER SCHEMA backup_src RENAME TO backup_old" >/dev/null
pg_restore --no-owner --dbname="$base" "$dir/essor.dump" || fail "pg_restore"
psql "$base" -qc "ALTER SCHEMA backup_src RENAME TO backup_dst; ALTER SCHEMA backup_old RENAME TO backup_src" >/dev/null
"$essor" verify --database "$dst" >/dev/null || fail "verify of the PostgreSQL restore"
serve "$dst"
[ "$(head_of)" = "$original" ] || fail "the restored PostgreSQL copy has another ledger head"
stop
psql "$base" -qc "SET client_min_messages = warning; DROP SCHEMA backup_src CASCADE; DROP SCHEMA backup_dst CASCADE" >/dev/null
echo "postgresql: dump restored, verified, same head $original"
