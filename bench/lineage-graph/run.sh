#!/usr/bin/env bash
# Table lineage at scale: 100,000 committed DEV nodes whose current versions carry 1,000,000 lineage edges (a
# layered DAG, 50 layers), then GetMetaTableProducingTasks' core call and the 10-hop graph query, p50/p99.
#
#   bash bench/lineage-graph/run.sh                 # SQLite, and PostgreSQL when reachable
#   NODES=10000 EDGES=100000 bash bench/lineage-graph/run.sh
#
# PostgreSQL needs SLUICE_BENCH_POSTGRES_DSN (default postgres://postgres@127.0.0.1:5432/sluice_test); the
# benchmark works in a schema of its own and drops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODES=${NODES:-100000}
EDGES=${EDGES:-1000000}
PGDSN=${SLUICE_BENCH_POSTGRES_DSN:-postgres://postgres@127.0.0.1:5432/sluice_test?sslmode=disable}
work=$(mktemp -d)
schema=bench_lineage_$$
cleanup() {
  rm -rf "$work"
  psql "$PGDSN" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
go build -o "$work/lineage-graph" ./bench/lineage-graph
echo "## Lineage at scale, $(date -u +%Y-%m-%d), $(nproc) cores ($(uname -m)), go $(go env GOVERSION)"
echo
echo "| SQLite: what | n | p50 | p99 | max | note |"
echo "| --- | --- | --- | --- | --- | --- |"
"$work/lineage-graph" -dsn "$work/lineage.db" -nodes "$NODES" -edges "$EDGES"
if psql "$PGDSN" -qc "CREATE SCHEMA $schema" >/dev/null 2>&1; then
  sep='?'; case "$PGDSN" in *\?*) sep='&';; esac
  echo
  echo "| PostgreSQL: what | n | p50 | p99 | max | note |"
  echo "| --- | --- | --- | --- | --- | --- |"
  "$work/lineage-graph" -dsn "$PGDSN${sep}search_path=$schema" -nodes "$NODES" -edges "$EDGES"
fi
