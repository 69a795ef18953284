#!/usr/bin/env bash
# Crash safety: a mixed write load through the vendors' SDKs and the native client while the server is killed
# with SIGKILL KILLS times and restarted, then the checks of bench/crash/main.go (docs/hardening.md, "Crash
# safety"). Exits non-zero on any violation.
#
#   bash bench/crash/run.sh                       # SQLite, KILLS=100
#   DB=postgres bash bench/crash/run.sh           # PostgreSQL: a fresh database on PGURL, dropped afterwards
#   KILLS=3 bash bench/crash/run.sh               # a smoke run
#
# WRITERS (default 2) is the number of writers of each kind; CALM (default 5s) the load without kills after
# the last restart; KEEP=1 keeps the work directory (data, serve.log).
set -euo pipefail
cd "$(dirname "$0")/../.."
KILLS=${KILLS:-100}
WRITERS=${WRITERS:-2}
CALM=${CALM:-5s}
DB=${DB:-sqlite}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-crash-XXXXXX")
pgdb=""
cleanup() {
  if [ -n "$pgdb" ] && [ "${KEEP:-}" != 1 ]; then psql -q "$PGURL/postgres?sslmode=disable" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" || true; fi
  if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

go build -o "$work/sluice" ./cmd/sluice
go build -o "$work/crash" ./bench/crash

args=(-sluice "$work/sluice" -work "$work" -kills "$KILLS" -writers "$WRITERS" -calm "$CALM")
case "$DB" in
sqlite) ;;
postgres)
  pgdb="sluice_crash_$$"
  psql -q "$PGURL/postgres?sslmode=disable" -c "CREATE DATABASE $pgdb"
  args+=(-database "$PGURL/$pgdb?sslmode=disable")
  ;;
*) echo "DB is sqlite or postgres" >&2; exit 2 ;;
esac
echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, go $(go env GOVERSION), DB=$DB KILLS=$KILLS WRITERS=$WRITERS CALM=$CALM"
"$work/crash" "${args[@]}"
