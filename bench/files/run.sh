#!/usr/bin/env bash
# ListFiles at scale: load FILES files (default 1,000,000) into one project of 100 workflows and 10,000
# folders, then measure FindFiles (the store call behind ListFiles) beside the raw SQL it issues, on SQLite
# and on PostgreSQL, per query shape and per keyword match-count bucket. Prints Markdown tables.
#
#   bash bench/files/run.sh                  # FILES=1000000 ITERS=200
#   FILES=100000 ITERS=50 bash bench/files/run.sh
#
# PostgreSQL rows need SLUICE_BENCH_POSTGRES_DSN (default postgres://postgres@127.0.0.1:5432/sluice_test), a
# superuser (the migration creates pg_trgm); the benchmark works in a schema of its own and drops it. Set
# KEEP=1 to keep the generated SQLite database in $WORK (default a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
FILES=${FILES:-1000000}
ITERS=${ITERS:-200}
PGDSN=${SLUICE_BENCH_POSTGRES_DSN:-postgres://postgres@127.0.0.1:5432/sluice_test?sslmode=disable}
work=${WORK:-$(mktemp -d)}
schema=bench_files_$$
cleanup() {
  [ -n "${KEEP:-}" ] || rm -rf "$work"
  psql "$PGDSN" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
go build -o "$work/files" ./bench/files

echo "## ListFiles at scale, $(date -u +%Y-%m-%d), $(nproc) cores ($(uname -m)), go $(go env GOVERSION)"
echo
echo "generating $FILES files on SQLite ..." >&2
"$work/files" gen -dsn "$work/files.db" -files "$FILES" -meta "$work/sqlite.json"
echo "SQLite database: $(du -h "$work/files.db" | cut -f1)"
"$work/files" run -dsn "$work/files.db" -meta "$work/sqlite.json" -iters "$ITERS" -label SQLite

# The server's memory: `sluice serve` on the generated database, answering signed ListFiles requests of
# every shape through the RPC face (one client at a time), then its peak resident set (VmHWM).
if command -v sqlite3 >/dev/null; then
  go build -o "$work/sluice" ./cmd/sluice
  go build -o "$work/load" ./bench/load
  mkdir -p "$work/serve" && cp "$work/files.db" "$work/serve/sluice.db"
  SLUICE_ROOT_ACCESS_KEY_ID=LTAIfilesbench SLUICE_ROOT_ACCESS_KEY_SECRET=filesbench \
    "$work/sluice" serve --listen 127.0.0.1:18581 --data-dir "$work/serve" --log-level warn >"$work/serve.log" 2>&1 &
  spid=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18581/healthz >/dev/null && break; sleep 0.1; done
  pid=$(sqlite3 "$work/serve/sluice.db" "SELECT id FROM projects LIMIT 1")
  sqlite3 "$work/serve/sluice.db" "INSERT INTO project_members (project_id, user_id, role, created_at) SELECT $pid, id, 'owner', 0 FROM users WHERE name = 'root'"
  base="Action=ListFiles&Version=2020-05-18&ProjectId=$pid&PageSize=10"
  echo
  echo "### sluice serve on the SQLite database: signed ListFiles through the RPC face, one client, 3 s per shape"
  echo
  for q in "" "&PageNumber=1000" "&FileTypes=10,6" "&Keyword=credit" "&Keyword=dwd_credit_snapsh" "&Keyword=_log_v" "&Keyword=ds_"; do
    printf '%-28s ' "${q:-first page}"
    "$work/load" -url http://127.0.0.1:18581 -mode rpc -params "$base$q" -key LTAIfilesbench -secret filesbench -c 1 -d 3s
  done
  echo
  echo "server memory: $(grep -E 'VmHWM|VmRSS' /proc/$spid/status | tr -s ' \t\n' ' ')"
  kill "$spid"; wait "$spid" 2>/dev/null || true
fi

if psql "$PGDSN" -qc "CREATE SCHEMA $schema" >/dev/null 2>&1; then
  sep='?'; case "$PGDSN" in *\?*) sep='&';; esac
  dsn="$PGDSN${sep}search_path=$schema"
  echo "generating $FILES files on PostgreSQL ..." >&2
  "$work/files" gen -dsn "$dsn" -files "$FILES" -meta "$work/postgres.json"
  echo
  echo "PostgreSQL $(psql "$PGDSN" -Atc 'SHOW server_version'), files table with indexes: $(psql "$PGDSN" -Atc "SELECT pg_size_pretty(pg_total_relation_size('$schema.files'))")"
  "$work/files" run -dsn "$dsn" -meta "$work/postgres.json" -iters "$ITERS" -label PostgreSQL
else
  echo
  echo "(PostgreSQL at $PGDSN not reachable: PostgreSQL rows skipped)"
fi
