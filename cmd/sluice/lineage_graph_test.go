package main

import "testing"

// TestGraphLevel: what a guid's shape says about `lineage graph`'s argument.
func TestGraphLevel(t *testing.T) {
	for guid, want := range map[string]string{
		"odps.p.t":        graphTable,
		"ODPS.P.T":        graphTable,
		"odps.p.t.c":      graphEither,
		"odps.p.s.t.c":    graphColumn,
		"odps.p.s.t.c.xx": graphColumn,
	} {
		if got := graphLevel(guid); got != want {
			t.Errorf("graphLevel(%q) = %q, want %q", guid, got, want)
		}
	}
}
