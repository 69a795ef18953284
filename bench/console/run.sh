#!/usr/bin/env bash
# The web console on a big project: load FILES files (default 1,000,000) into one project with bench/files,
# serve it with `sluice serve` (SQLite; PostgreSQL too when POSTGRES=1), sign in through the page in headless
# Chromium and measure the files page's first paint and the keyword search round trip. Prints Markdown tables.
#
#   bash bench/console/run.sh                   # FILES=1000000 ITERS=20
#   FILES=100000 ITERS=10 bash bench/console/run.sh
#
# Needs chromium (Debian's package) and jq. KEEP=1 keeps the generated database in $WORK.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/internal/serve.sh
FILES=${FILES:-1000000}
ITERS=${ITERS:-20}
PGDSN=${SLUICE_BENCH_POSTGRES_DSN:-postgres://postgres@127.0.0.1:5432/sluice_test?sslmode=disable}
work=${WORK:-$(mktemp -d)}
schema=bench_console_$$
cleanup() {
  [ -n "${spid:-}" ] && kill "$spid" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
  psql "$PGDSN" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
go build -o "$work/files" ./bench/files
go build -o "$work/sluice" ./cmd/sluice
go build -o "$work/console" ./bench/console
export SLUICE_ENDPOINT=http://127.0.0.1:18590 SLUICE_ACCESS_KEY_ID=LTAIconsolebench SLUICE_ACCESS_KEY_SECRET=consolebench
password=console-bench-password

# serve LABEL ARGS...: starts `sluice serve` with ARGS, waits for it, makes root an owner of the generated
# project (SQL: the generator's user is in another account) and gives root a password.
serve() {
  local label=$1 member_sql=$2; shift 2
  port_free "$SLUICE_ENDPOINT"
  SLUICE_ROOT_ACCESS_KEY_ID=$SLUICE_ACCESS_KEY_ID SLUICE_ROOT_ACCESS_KEY_SECRET=$SLUICE_ACCESS_KEY_SECRET \
    "$work/sluice" serve --listen 127.0.0.1:18590 --log-level warn "$@" >"$work/serve-$label.log" 2>&1 &
  spid=$!
  wait_served "$SLUICE_ENDPOINT" "$spid"
  eval "$member_sql"
  echo "$password" | "$work/sluice" user passwd root --password-stdin
}

echo "## The web console on $FILES files, $(date -u +%Y-%m-%d), $(nproc) cores ($(uname -m)), $(chromium --version 2>/dev/null | head -1)"
echo "generating $FILES files on SQLite ..." >&2
"$work/files" gen -dsn "$work/files.db" -files "$FILES" -meta "$work/sqlite.json"
mkdir -p "$work/serve"
mv "$work/files.db" "$work/serve/sluice.db"
pid=$(jq -r .project_id "$work/sqlite.json")
serve sqlite "\"$work/files\" sql -dsn \"$work/serve/sluice.db\" -iters 1 \"INSERT INTO project_members (project_id, user_id, role, created_at) SELECT $pid, id, 'owner', 0 FROM users WHERE name = 'root' RETURNING 1\" >/dev/null" \
  --data-dir "$work/serve"
echo
echo "### SQLite"
"$work/console" -url "$SLUICE_ENDPOINT" -password "$password" -meta "$work/sqlite.json" -iters "$ITERS"
kill "$spid"; wait "$spid" 2>/dev/null || true; spid=

if [ -n "${POSTGRES:-}" ] && psql "$PGDSN" -qc "CREATE SCHEMA $schema" >/dev/null 2>&1; then
  sep='?'; case "$PGDSN" in *\?*) sep='&';; esac
  dsn="$PGDSN${sep}search_path=$schema"
  echo "generating $FILES files on PostgreSQL ..." >&2
  "$work/files" gen -dsn "$dsn" -files "$FILES" -meta "$work/postgres.json"
  pid=$(jq -r .project_id "$work/postgres.json")
  serve postgres "psql \"$PGDSN\" -qc \"INSERT INTO $schema.project_members (project_id, user_id, role, created_at) SELECT $pid, id, 'owner', 0 FROM $schema.users WHERE name = 'root'\" >/dev/null" \
    --data-dir "$work/serve-pg" --database "$dsn"
  echo
  echo "### PostgreSQL"
  "$work/console" -url "$SLUICE_ENDPOINT" -password "$password" -meta "$work/postgres.json" -iters "$ITERS"
fi
