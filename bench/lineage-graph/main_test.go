package main

import (
	"context"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/storetest"
)

// TestSmallRun runs the benchmark on a small graph of each database: the loader must write what the store's
// walks read (a change to how the store marks current lineage once left every walk empty here), and every
// answer must pass run's checks.
func TestSmallRun(t *testing.T) {
	storetest.EachDatabase(t, func(t *testing.T, dsn string) {
		var out strings.Builder
		c := config{dsn: dsn, nodes: 2000, edges: 10000, layers: 20, iters: 20, graphIters: 2}
		if err := run(context.Background(), c, &out); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		if got := strings.Count(out.String(), "\n| "); got != 5 { // producers, then four walks
			t.Errorf("%d timing rows, want 5:\n%s", got, out.String())
		}
	})
}
