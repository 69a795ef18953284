#!/usr/bin/env bash
# ListFiles at scale: load FILES files (default 1,000,000) into one project of 100 workflows and 10,000
# folders, then measure FindFiles (the store call behind ListFiles) beside the raw SQL it issues, on SQLite
# and on PostgreSQL, per query shape and per keyword match-count bucket, and the same calls through a signed
# ListFiles of `sluice serve` on the same data; then PostgreSQL's write latency (WRITES creates, commits,
# renames and deletes) with and without the keyword index's triggers. Prints Markdown tables.
#
#   bash bench/files/run.sh                  # FILES=1000000 ITERS=200
#   FILES=100000 ITERS=50 bash bench/files/run.sh
#   FILES=10000000 PROJECTS=100 bash bench/files/run.sh   # spread over 100 projects alike; the first is measured
#   SQLITE=0 FILES=10000000 PROJECTS=100 bash bench/files/run.sh   # PostgreSQL only
#
# PostgreSQL rows need SLUICE_BENCH_POSTGRES_DSN (default postgres://postgres@127.0.0.1:5432/sluice_test), a
# superuser (the migration creates pg_trgm); the benchmark works in a schema of its own and drops it. Set
# KEEP=1 to keep the generated SQLite database in $WORK (default a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/internal/serve.sh
FILES=${FILES:-1000000}
ITERS=${ITERS:-200}
PROJECTS=${PROJECTS:-1}
WRITES=${WRITES:-300}
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
go build -o "$work/sluice" ./cmd/sluice

# serve LABEL ARGS...: starts `sluice serve` (port 18581) with ARGS, waits for it, sets spid.
serve() {
  local label=$1; shift
  port_free http://127.0.0.1:18581
  SLUICE_ROOT_ACCESS_KEY_ID=LTAIfilesbench SLUICE_ROOT_ACCESS_KEY_SECRET=filesbench \
    "$work/sluice" serve --listen 127.0.0.1:18581 --log-level warn "$@" >"$work/serve-$label.log" 2>&1 &
  spid=$!
  wait_served http://127.0.0.1:18581 "$spid"
}
server_args=(-url http://127.0.0.1:18581 -key LTAIfilesbench -secret filesbench)

# Each database: the store call (FindFiles) beside its raw SQL and beside a signed DataWorks ListFiles through
# `sluice serve` on the same data (HMAC-SHA1 RPC: HTTP, signature, the nonce write, authorization, the store,
# JSON), call by call on the same filters, one client. On SQLite the server runs on a copy of the generated
# file (a running server holds its nonce file alone), so both read the same data.
if [ "${SQLITE:-1}" != 0 ]; then
echo "generating $FILES files in $PROJECTS project(s) on SQLite ..." >&2
"$work/files" gen -dsn "$work/files.db" -files "$FILES" -projects "$PROJECTS" -meta "$work/sqlite.json"
echo
echo "SQLite database: $(du -h "$work/files.db" | cut -f1)"
mkdir -p "$work/serve" && cp "$work/files.db" "$work/serve/sluice.db"
serve sqlite --data-dir "$work/serve"
pid=$(jq -r .project_id "$work/sqlite.json")
"$work/files" sql -dsn "$work/serve/sluice.db" -iters 1 \
  "INSERT INTO project_members (project_id, user_id, role, created_at) SELECT $pid, id, 'owner', 0 FROM users WHERE name = 'root' RETURNING 1" >/dev/null
"$work/files" run -dsn "$work/files.db" -meta "$work/sqlite.json" -iters "$ITERS" -label SQLite "${server_args[@]}"
echo
echo "server memory: $(grep -E 'VmHWM|VmRSS' /proc/$spid/status | tr -s ' \t\n' ' ')"
kill "$spid"; wait "$spid" 2>/dev/null || true
fi

if psql "$PGDSN" -qc "CREATE SCHEMA $schema" >/dev/null 2>&1; then
  sep='?'; case "$PGDSN" in *\?*) sep='&';; esac
  dsn="$PGDSN${sep}search_path=$schema"
  echo "generating $FILES files on PostgreSQL ..." >&2
  t0=$(date +%s)
  "$work/files" gen -dsn "$dsn" -files "$FILES" -projects "$PROJECTS" -meta "$work/postgres.json"
  echo
  echo "PostgreSQL $(psql "$PGDSN" -Atc 'SHOW server_version'), loaded in $(( $(date +%s) - t0 )) s (load average $(cut -d' ' -f1-3 /proc/loadavg));" \
    "files table with indexes: $(psql "$PGDSN" -Atc "SELECT pg_size_pretty(pg_total_relation_size('$schema.files'))")," \
    "file_grams with its index: $(psql "$PGDSN" -Atc "SELECT pg_size_pretty(pg_total_relation_size('$schema.file_grams'))")"
  serve postgres --data-dir "$work/serve-pg" --database "$dsn"
  pid=$(jq -r .project_id "$work/postgres.json")
  psql "$PGDSN" -qc "INSERT INTO $schema.project_members (project_id, user_id, role, created_at) SELECT $pid, id, 'owner', 0 FROM $schema.users WHERE name = 'root'" >/dev/null
  "$work/files" run -dsn "$dsn" -meta "$work/postgres.json" -iters "$ITERS" -label PostgreSQL "${server_args[@]}"
  kill "$spid"; wait "$spid" 2>/dev/null || true

  # What keeping file_grams costs a write: the same writes on the same data with its triggers on (0013),
  # then with them off and the pg_trgm GIN index of 0002 back (the write path before 0013).
  echo
  echo "### PostgreSQL writes on the measured project ($FILES files in $PROJECTS project(s)), one caller, $WRITES of each"
  echo
  echo "| schema | write | n | p50 | p99 |"
  echo "| --- | --- | --- | --- | --- |"
  "$work/files" write -dsn "$dsn" -meta "$work/postgres.json" -iters "$WRITES" -label "0013: file_grams triggers"
  PGOPTIONS="-c search_path=$schema" psql "$PGDSN" -qc "ALTER TABLE files DISABLE TRIGGER file_grams_insert;
    ALTER TABLE files DISABLE TRIGGER file_grams_delete; ALTER TABLE files DISABLE TRIGGER file_grams_rename;
    CREATE INDEX files_name_trgm ON files USING gin (lower(name) public.gin_trgm_ops)" >/dev/null
  "$work/files" write -dsn "$dsn" -meta "$work/postgres.json" -iters "$WRITES" -label "0012: pg_trgm GIN index"
else
  echo
  echo "(PostgreSQL at $PGDSN not reachable: PostgreSQL rows skipped)"
fi
