#!/usr/bin/env bash
# Reproduces the column-lineage figures in docs/lineage.md: accuracy of Sluice
# and of sqlglot's lineage() on lineage/testdata/columns (same schemas given),
# and throughput of both on one core over a generated corpus.
#
#   bench/lineage-columns/run.sh          # MB=20 PEER_SECONDS=20 by default
#
# Needs Go and Debian's python3-sqlglot, which this script installs with
# apt-get when it is missing (as root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mb="${MB:-20}"
peer_seconds="${PEER_SECONDS:-20}"
corpus="$root/lineage/testdata/columns"
ddl="$corpus/schema.ddl"
# Debian's interpreter: python3-sqlglot installs into its dist-packages.
py=/usr/bin/python3
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

if ! "$py" -c 'import sqlglot.lineage' 2>/dev/null; then
	echo "== installing python3-sqlglot (Debian)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sqlglot >/dev/null
fi

echo "== accuracy on $(ls "$corpus"/*.sql | wc -l) hand-checked scripts (column edges = target+source pairs)"
sluice="$(cd "$root" && go test ./lineage -run 'TestColumnCorpus$' -count=1 -v | grep -E 'column edges|targets:|scripts')"
echo "$sluice"
glot="$("$py" "$here/sqlglot_lineage.py" score "$corpus" "$ddl")"
echo "$glot"

gen="$(mktemp -d)"
trap 'rm -rf "$gen"' EXIT
echo "== generated corpus"
(cd "$root" && go run ./bench/lineage/gen -out "$gen" -mb "$mb")
(cd "$root" && go build -o "$gen/speed" ./bench/lineage-columns/speed)
echo "== speed: Sluice ExtractColumns (one core, fastest of 3 passes)"
s="$("${pin[@]}" "$gen/speed" -dir "$gen" -schema "$ddl")"
echo "$s"
echo "== speed: sqlglot lineage() (one core, first ${peer_seconds}s of CPU on the same corpus)"
g="$("${pin[@]}" "$py" "$here/sqlglot_lineage.py" speed "$gen" "$ddl" "$peer_seconds")"
echo "$g"

"$py" - "$sluice" "$glot" "$s" "$g" <<'PY'
import json, re, sys
sl, gl, s, g = sys.argv[1:]
m = re.search(r"precision ([\d.]+) recall ([\d.]+)", sl)
glot = json.loads(gl)["sqlglot"]
ss = json.loads(s)["sluice_columns"]["mb_per_s"]
sc = json.loads(s)["sluice_columns"].get("cpu_mb_per_s", 0)
gs = json.loads(g)["sqlglot"]["mb_per_s"]
print()
print("| tool | edge precision | edge recall | MB/s (one core) |")
print("|---|---|---|---|")
print(f"| Sluice ExtractColumns | {m.group(1)} | {m.group(2)} | {ss:.1f} |")
print(f"| sqlglot {glot['version']} lineage() | {glot['precision']:.3f} | {glot['recall']:.3f} | {gs:.3f} |")
print(f"\nSluice / sqlglot speed: {ss / gs:.0f}x")
# sqlglot's rate is per second of CPU time: so is this one, which other load
# on the machine moves less than the wall clock.
if sc:
    print(f"Sluice by CPU time: {sc:.1f} MB/s, {sc / gs:.0f}x sqlglot")
PY
