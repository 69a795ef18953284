#!/usr/bin/env bash
# Runs every native Go fuzz target of the module, one at a time, and prints a table of the results.
#
#   bench/fuzz/run.sh                      # every target, 10 minutes each
#   FUZZTIME=3m bench/fuzz/run.sh          # shorter
#   FUZZPKGS=./api/... bench/fuzz/run.sh   # the targets of some packages only
#
# Environment: FUZZTIME (per target, default 10m), FUZZMINIMIZETIME (default 10s: the engine also minimizes
# every new interesting input, which with its default of 60s stalls the slower targets), FUZZPARALLEL
# (workers per target, default GOMAXPROCS), FUZZPKGS (package patterns, default ./...).
# Targets are found with `go test -list '^Fuzz'`, so a new one is run without editing this script. A failing
# input is written under the package's testdata/fuzz/<target>/ by the engine: fix the defect, keep the input.
# Exit status 1 if any target failed.
set -uo pipefail
cd "$(dirname "$0")/../.."

FUZZTIME=${FUZZTIME:-10m}
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-10s}
FUZZPARALLEL=${FUZZPARALLEL:-}
FUZZPKGS=${FUZZPKGS:-./...}

rows=()
failed=0
start=$(date -u +%Y-%m-%dT%H:%MZ)
for pkg in $(go list $FUZZPKGS); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  # Compile only the packages that have a fuzz target.
  grep -qs '^func Fuzz' "$dir"/*_test.go || continue
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
    echo "== $pkg $target ($FUZZTIME)" >&2
    out=$(go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" -timeout 0 \
      ${FUZZPARALLEL:+-parallel "$FUZZPARALLEL"} 2>&1)
    rc=$?
    last=$(grep -E '^fuzz: elapsed: .*execs: ' <<<"$out" | tail -n 1)
    execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
    corpus=$(sed -nE 's/.*\(total: ([0-9]+)\).*/\1/p' <<<"$last")
    result=ok
    if [ $rc -ne 0 ]; then
      if grep -q "context deadline exceeded" <<<"$out" && ! grep -q "Failing input written" <<<"$out"; then
        # The engine's report when -fuzztime runs out while a worker is mid-input, with no failing input
        # found (golang/go#56238): the run itself is complete.
        result="ok (deadline report)"
      else
        result=FAIL
        failed=1
        echo "$out" >&2
      fi
    fi
    rows+=("$(printf '%-28s %-22s %12s %8s  %s' "${pkg#github.com/sluice-dev/sluice/}" "$target" "${execs:-?}" "${corpus:-?}" "$result")")
  done
done

echo
echo "Fuzzing from $start, FUZZTIME=$FUZZTIME each, $(nproc) CPUs, $(go version | cut -d' ' -f3)"
printf '%-28s %-22s %12s %8s  %s\n' package target execs corpus result
for r in "${rows[@]}"; do echo "$r"; done
exit $failed
