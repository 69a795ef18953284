#!/usr/bin/env bash
# Fetches the console's third-party libraries from the npm registry at the pinned versions below, copies the
# files the console loads (and each package's licence) into this directory, and rewrites SHA256SUMS.
# The console's Go tests check the files against SHA256SUMS, so a vendored file cannot drift unnoticed.
# Run it after changing a version here; commit what it writes. Needs npm.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# package@version  file-in-package:name-here ...
libs=(
	"cytoscape@3.35.0 dist/cytoscape.min.js:cytoscape.min.js LICENSE:cytoscape.LICENSE"
	"cytoscape-dagre@4.0.1 dist/cytoscape-dagre.min.js:cytoscape-dagre.min.js LICENSE:cytoscape-dagre.LICENSE"
	"codemirror@5.65.18 lib/codemirror.js:codemirror.js lib/codemirror.css:codemirror.css mode/sql/sql.js:codemirror-sql.js mode/shell/shell.js:codemirror-shell.js mode/python/python.js:codemirror-python.js LICENSE:codemirror.LICENSE"
	"diff@8.0.2 dist/diff.min.js:diff.min.js LICENSE:diff.LICENSE"
	"diff2html@3.4.56 bundles/js/diff2html.min.js:diff2html.min.js bundles/css/diff2html.min.css:diff2html.min.css LICENSE.md:diff2html.LICENSE"
)
for lib in "${libs[@]}"; do
	set -- $lib
	pkg=$1
	shift
	(cd "$work" && npm pack --silent "$pkg" >/dev/null)
	tgz=$(ls "$work"/*.tgz)
	mkdir -p "$work/x"
	tar -xzf "$tgz" -C "$work/x"
	for m in "$@"; do
		cp "$work/x/package/${m%%:*}" "${m##*:}"
	done
	rm -rf "$work/x" "$tgz"
done
sha256sum -- *.js *.css *.LICENSE > SHA256SUMS
