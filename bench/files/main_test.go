package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sluice-dev/sluice/storetest"
)

// TestSmallRun generates a small estate on each database and runs the benchmark's reads and writes on it: the
// generator writes rows with its own SQL, so a change to the schema it does not follow must fail here, not on
// the day of a long run. run checks every TotalCount against the generator's exact counts.
func TestSmallRun(t *testing.T) {
	storetest.EachDatabase(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		meta := filepath.Join(t.TempDir(), "meta.json")
		if err := generate(ctx, dsn, 3000, 2, meta); err != nil {
			t.Fatal(err)
		}
		if err := run(ctx, dsn, meta, 3, "test", serverClient{}); err != nil {
			t.Fatal(err)
		}
		if err := writes(ctx, dsn, meta, 3, "test"); err != nil {
			t.Fatal(err)
		}
	})
}
