#!/usr/bin/env bash
# Resource centre benchmarks: a SIZE upload (default 1 GiB) through the native streaming upload
# (`sluice resource upload`) and through a DLI upload importing a file:// path, with the server's RSS growth
# while it runs; on the file blob store as a ratio of dd copying the same file to the same disk, and on an
# S3-compatible store (Versity S3 Gateway on this machine) as a ratio of curl PUTting the same file straight
# into it — each upload paired with a baseline run just before it. Then ListJobResources over 100,000
# resources in 1,000 groups.
#
#   bash bench/resources/run.sh           # SIZE=1G RUNS=3 RESOURCES=100000 NGROUPS=1000 LISTS=200
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/internal/serve.sh
SIZE=${SIZE:-1G}
RUNS=${RUNS:-3}
RESOURCES=${RESOURCES:-100000}
NGROUPS=${NGROUPS:-1000}
LISTS=${LISTS:-200}
work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export AWS_EC2_METADATA_DISABLED=true
. .ci/s3.sh >/dev/null

go build -o "$work/sluice" ./cmd/sluice
go build -o "$work/bench" ./bench/resources

echo "## $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), go $(go env GOVERSION), $SIZE per upload, median of $RUNS (dd, upload) pairs"
echo
mkdir -p "$work/import"
head -c "$SIZE" /dev/urandom >"$work/import/payload.bin"
bytes=$(stat -c %s "$work/import/payload.bin")

calc() { awk "BEGIN { print $* }"; }
since() { calc "$(date +%s.%N) - $1"; }
min() { if [ -z "$1" ] || [ "$(calc "$2 < $1")" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# dd copying the file to the same disk, fsynced: the baseline. This machine's disk writes vary several-fold
# from one minute to the next, so every upload is paired with a dd run just before it and the ratio taken
# within the pair; the table shows the median pair.
ddrun() {
  sync; local start; start=$(date +%s.%N)
  dd if="$work/import/payload.bin" of="$work/dd.out" bs=4M conv=fsync status=none
  since "$start"
  rm -f "$work/dd.out"
}
# s3put: the same file PUT straight into the S3 server with curl (one request, payload not hashed by the
# client): the baseline of the S3 rows, which measures what the S3 server itself can take.
s3put() {
  sync; local start; start=$(date +%s.%N)
  curl -sS --fail --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS:$S3_SECRET" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    -T "$work/import/payload.bin" "http://127.0.0.1:$S3_PORT/sluice-test/bench-baseline" >/dev/null
  since "$start"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# rss KB of a pid; peak_rss samples it every 50 ms until the file $2 appears, then prints the maximum.
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
peak_rss() {
  local pid=$1 stop=$2 peak=0 r
  while [ ! -e "$stop" ]; do
    r=$(rss "$pid"); [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.05
  done
  echo "$peak"
}

run_store() { # $1 = label, $2 = blob URL ("" for the default directory), $3 = baseline command, $4 = its name
  local label=$1 blob=$2 baseline=$3 bname=$4 port=18580 dir="$work/data-$1"
  port_free "http://127.0.0.1:$port"
  SLUICE_ROOT_ACCESS_KEY_ID=LTAIbenchmark SLUICE_ROOT_ACCESS_KEY_SECRET=benchmarksecret SLUICE_BLOB="$blob" \
    "$work/sluice" serve --listen 127.0.0.1:$port --data-dir "$dir" --log-level warn \
    --import-root "$work/import" >"$work/serve-$label.log" 2>&1 &
  local pid=$!
  wait_served "http://127.0.0.1:$port" "$pid"
  export SLUICE_ENDPOINT=http://127.0.0.1:$port SLUICE_ACCESS_KEY_ID=LTAIbenchmark SLUICE_ACCESS_KEY_SECRET=benchmarksecret
  export SLUICE_CONFIG_FILE="$work/none.json"
  "$work/sluice" project create bench_res >/dev/null
  echo "### $label"
  for how in native import; do
    local growth=0 ratios="" times="" dds=""
    for i in $(seq 1 "$RUNS"); do
      local d; d=$($baseline)
      local before; before=$(rss "$pid")
      sync
      rm -f "$work/done"
      peak_rss "$pid" "$work/done" >"$work/peak" &
      local sampler=$!
      start=$(date +%s.%N)
      if [ "$how" = native ]; then
        "$work/sluice" resource upload "$work/import/payload.bin" -p bench_res --kind file --group "g$i" --no-progress >/dev/null
      else
        "$work/bench" -mode import -endpoint "127.0.0.1:$port" -project bench_res -group "i$i" -path "file://$work/import/payload.bin"
      fi
      local t; t=$(since "$start")
      touch "$work/done"; wait "$sampler"
      local g=$(( $(cat "$work/peak") - before ))
      [ "$g" -gt "$growth" ] && growth=$g
      ratios="$ratios $(calc "100 * $d / $t")"; times="$times $t"; dds="$dds $d"
    done
    local t d r
    t=$(echo $times | tr ' ' '\n' | median); d=$(echo $dds | tr ' ' '\n' | median); r=$(echo $ratios | tr ' ' '\n' | median)
    printf "%-7s %6.2f s  %5.0f MB/s   %s %5.2f s   %4.0f%% of %s   RSS growth %4.1f MiB (max of %s)\n" "$how" "$t" \
      "$(calc "$bytes / $t / 1000000")" "$bname" "$d" "$r" "$bname" "$(calc "$growth / 1024")" "$RUNS"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo
}

run_store "file store (local directory, same disk)" "" ddrun dd
s3url="${SLUICE_TEST_S3_URL/s3:\/\/sluice-test?/s3://sluice-test/bench?}"
run_store "S3 store (versitygw posix on the same disk)" "$s3url" s3put curl-PUT

echo "### ListJobResources, $RESOURCES resources in $NGROUPS groups (SQLite), $LISTS signed calls after one warm-up"
"$work/bench" -mode list -sluice "$work/sluice" -dir "$work/list" -resources "$RESOURCES" -groups "$NGROUPS" -n "$LISTS"
