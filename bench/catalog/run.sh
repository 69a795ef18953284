#!/usr/bin/env bash
# MaxCompute catalogue benchmarks (bench/catalog/main.go): `sluice sql` running 10,000-statement DDL scripts
# until a project holds TABLES tables, ListTables paging through them, ListPackages over PACKAGES packages
# and GetPackage of a package of OBJECTS tables — through the server, signed as the generated MaxCompute
# client signs, with signed ListProjects measured in the same run as the baseline. SQLite, then PostgreSQL
# when reachable.
#
#   bash bench/catalog/run.sh        # TABLES=100000 PACKAGES=10000 OBJECTS=1000 N=200
#
# PostgreSQL needs SLUICE_BENCH_POSTGRES_DSN (default postgres://postgres@127.0.0.1:5432/sluice_test); the
# benchmark works in a schema of its own and drops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
TABLES=${TABLES:-100000}
PACKAGES=${PACKAGES:-10000}
OBJECTS=${OBJECTS:-1000}
N=${N:-200}
PGDSN=${SLUICE_BENCH_POSTGRES_DSN:-postgres://postgres@127.0.0.1:5432/sluice_test?sslmode=disable}
work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-XXXXXX")
schema=bench_catalog_$$
cleanup() {
  rm -rf "$work"
  psql "$PGDSN" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
go build -o "$work/sluice" ./cmd/sluice
go build -o "$work/bench" ./bench/catalog
echo "## Catalogue at scale, $(date -u +%Y-%m-%d), $(nproc) cores ($(uname -m)), go $(go env GOVERSION)"
for db in sqlite postgres; do
  args=()
  if [ "$db" = postgres ]; then
    psql "$PGDSN" -qc "CREATE SCHEMA $schema" >/dev/null 2>&1 || { echo "(PostgreSQL not reachable: skipped)"; break; }
    sep='?'; case "$PGDSN" in *\?*) sep='&';; esac
    args=(-database "$PGDSN${sep}search_path=$schema")
  fi
  mkdir -p "$work/$db"
  echo
  echo "| $db: what | n | p50 | p99 | note |"
  echo "| --- | --- | --- | --- | --- |"
  "$work/bench" -sluice "$work/sluice" -dir "$work/$db" -tables "$TABLES" -packages "$PACKAGES" -objects "$OBJECTS" -n "$N" "${args[@]}"
done
