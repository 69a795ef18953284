#!/usr/bin/env bash
# Foundation benchmarks: cold start to /healthz, idle RSS, and signed ListProjects throughput as a ratio of
# unauthenticated /healthz throughput on the same server in the same run — on SQLite and on PostgreSQL.
#
#   bash bench/foundation/run.sh            # DURATION=10s CONCURRENCY=16 STARTS=10 by default
#
# Needs a local PostgreSQL (127.0.0.1:5432, user postgres) for the PostgreSQL rows; skips them otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/internal/serve.sh
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-16}
STARTS=${STARTS:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/sluice" ./cmd/sluice
go build -o "$work/load" ./bench/load
go build -o "$work/coldstart" ./bench/coldstart

echo "## $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), go $(go env GOVERSION)"
echo
echo "### cold start and idle memory (SQLite, fresh data directory each start)"
"$work/coldstart" -bin "$work/sluice" -n "$STARTS"

run_load() { # $1 = label, extra args to serve follow
  local label=$1; shift
  local port=18480 dir="$work/data-$label"
  port_free "http://127.0.0.1:$port"
  SLUICE_ROOT_ACCESS_KEY_ID=LTAIbenchmark SLUICE_ROOT_ACCESS_KEY_SECRET=benchmarksecret \
    "$work/sluice" serve --listen 127.0.0.1:$port --data-dir "$dir" --log-level warn "$@" >"$work/serve-$label.log" 2>&1 &
  local pid=$!
  wait_served "http://127.0.0.1:$port" "$pid"
  # Three projects for the caller to list.
  for p in alpha_proj beta_proj gamma_proj; do
    SLUICE_ENDPOINT=http://127.0.0.1:$port SLUICE_ACCESS_KEY_ID=LTAIbenchmark SLUICE_ACCESS_KEY_SECRET=benchmarksecret \
      "$work/sluice" project create "$p" >/dev/null
  done
  echo
  echo "### throughput, $label, $CONCURRENCY concurrent clients, $DURATION each (client and server share the machine)"
  local base=""
  # CPU time per request, each side: the load generator (signing included), the server, and PostgreSQL's
  # processes (on SQLite the database runs inside the server). Client and server share the machine, so the
  # throughput ratio is set by their sum; the server's column is what the server itself spends.
  local db=() out
  [ "$label" = postgres ] && db=(-db-comm postgres)
  field() { echo "$out" | jq -r ".$1 // empty"; } # a field of the load generator's JSON answer
  for mode in healthz roa-list rpc-list; do
    out=$("$work/load" -url "http://127.0.0.1:$port" -mode $mode -c "$CONCURRENCY" -d "$DURATION" -key LTAIbenchmark -secret benchmarksecret \
      -server-pid "$pid" "${db[@]}" -json)
    rps=$(field rps)
    [ -z "$base" ] && base=$rps
    ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.0f%%", 100 * a / b }')
    dbcpu=$(field db_cpu_us)
    printf "%-9s %9.0f req/s   p99 %6.2f ms   errors %s   %4s of healthz   CPU µs/request: client %5.1f, server %5.1f%s\n" \
      "$mode" "$rps" "$(field p99_ms)" "$(field errors)" "$ratio" "$(field client_cpu_us)" "$(field server_cpu_us)" \
      "${dbcpu:+, PostgreSQL $(printf %.1f "$dbcpu")}"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_load sqlite
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS sluice_bench" -c "CREATE DATABASE sluice_bench" >/dev/null
  run_load postgres --database "postgres://postgres@127.0.0.1:5432/sluice_bench?sslmode=disable"
else
  echo; echo "(PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL rows skipped)"
fi
