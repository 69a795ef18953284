#!/usr/bin/env bash
# Reproduces every figure in docs/lineage.md: accuracy of Sluice and of the
# two npm peers on lineage/testdata/corpus, and throughput of all three on a
# generated corpus of at least 50 MB (written to a temp dir, then removed).
#
#   bench/lineage/run.sh            # PEER_SECONDS=20 MB=50 by default
#   SPEED_ONLY=1 bench/lineage/run.sh   # throughput only, no accuracy
#
# Needs Go, Node 20 and npm (the npm registry is used to install the pinned
# peers into bench/lineage/node_modules).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mb="${MB:-50}"
peer_seconds="${PEER_SECONDS:-20}"
speed_only="${SPEED_ONLY:-}"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

cd "$here"
npm ci --no-audit --no-fund --silent >/dev/null
nodecmd=(node --import "$here/register.mjs")

if [ -z "$speed_only" ]; then
	echo "== accuracy: Sluice (go test ./lineage -run TestCorpus -v)"
	(cd "$root" && go test ./lineage -run 'TestCorpus$' -count=1 -v) | sed -n '/scripts [0-9]/,/spark:/p'

	echo "== accuracy: npm peers"
	"${nodecmd[@]}" peers.mjs score "$root/lineage/testdata/corpus"
fi

gen="$(mktemp -d)"
trap 'rm -rf "$gen"' EXIT
echo "== generated corpus"
(cd "$root" && go run ./bench/lineage/gen -out "$gen" -mb "$mb")

echo "== speed: Sluice (one core, fastest of 5 passes)"
(cd "$root" && go build -o "$gen/speed" ./bench/lineage/speed)
"${pin[@]}" "$gen/speed" -dir "$gen"

echo "== speed: npm peers (one core, first ${peer_seconds}s of the same corpus each)"
"${pin[@]}" "${nodecmd[@]}" peers.mjs speed "$gen" "$peer_seconds"
