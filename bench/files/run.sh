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
