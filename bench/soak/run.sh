#!/usr/bin/env bash
# Soak: a realistic mix of reads and writes through the vendors' SDKs and the native client, first in a
# closed loop to measure the maximum rate, then open-loop at half of it for DURATION, with the server's RSS,
# goroutines and open files sampled every 10 s; fails on any error, a late request, or growth (see the
# judge function of bench/soak/main.go for the tolerances).
#
#   bash bench/soak/run.sh                       # SQLite, DURATION=30m
#   POSTGRES=1 DURATION=10m bash bench/soak/run.sh
#
# OUT (default bench/soak/results) receives the samples as <backend>-<duration>.csv and the printed report
# as <backend>-<duration>.txt. PostgreSQL: 127.0.0.1:5432, user postgres, a database sluice_soak made anew.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-30m}
PROBE=${PROBE:-45s}
OUT=${OUT:-bench/soak/results}
work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-soak-XXXXXX")
trap 'rm -rf "$work"' EXIT

go build -o "$work/sluice" ./cmd/sluice
go build -o "$work/soak" ./bench/soak

backend=sqlite
args=()
if [ "${POSTGRES:-}" = 1 ]; then
  backend=postgres
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS sluice_soak" -c "CREATE DATABASE sluice_soak" >/dev/null
  args=(-database "postgres://postgres@127.0.0.1:5432/sluice_soak?sslmode=disable")
fi
mkdir -p "$OUT"
name="$OUT/$backend-$DURATION"
{
  echo "## $(date -u '+%Y-%m-%d %H:%M') UTC, $backend, $(nproc) cores ($(uname -m)), go $(go env GOVERSION)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$name.txt"
status=0
"$work/soak" -sluice "$work/sluice" -dir "$work/data" "${args[@]}" -duration "$DURATION" -probe "$PROBE" \
  -csv "$name.csv" 2>"$work/stderr.log" | tee -a "$name.txt" || status=$?
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$name.txt"
if [ -s "$work/stderr.log" ]; then
  echo "--- first lines of the soak's and the server's stderr:" | tee -a "$name.txt"
  head -40 "$work/stderr.log" | tee -a "$name.txt"
fi
exit "$status"
